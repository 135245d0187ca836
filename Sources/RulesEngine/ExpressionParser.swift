import VitalsCore

/// Parses and type-checks one rule expression: names resolved, functions and their argument
/// types checked, units of numbers and durations checked, all before any rule runs.
struct ExpressionParser {
    /// A named limit as the parser sees it.
    struct LimitInfo {
        var slot: Int
        var type: ValueType
    }

    /// Every function the language knows (from `RuleFunction`), with a usage line for errors.
    static let functions: [String: String] = RuleFunction.callable.mapValues(\.usage)

    /// Names that are values on their own.
    static let variables: [String: ValueType] = RuleFunction.variables.mapValues { $0.result(nil) }
    static let keywords = ["and", "or", "not", "true", "false"]

    let limits: [String: LimitInfo]
    /// SatSeconds accumulators: (metric, constant limit expression); shared across a rule set.
    var satseconds: [SatSecondsSpec]
    /// Dose-window counters: (metric, from, to) with constant durations; shared across a rule set.
    var doseWindows: [DoseWindowSpec] = []
    private var tokens: [Token] = []
    private var index = 0
    /// How deep the parse is nested (parentheses, `not`, unary minus, function arguments).
    private var nesting = 0

    /// At most this many tokens in one expression: every pass over the tree recurses, so its
    /// size must be bounded (75,000 `or` terms overflowed the stack). The shipped rules' largest
    /// has about 30.
    static let maximumTokens = 2_000
    /// At most this deep a nesting of parentheses, `not`, `-` and function calls (4,700 nested
    /// parentheses overflowed the parser's stack).
    static let maximumNesting = 64

    init(limits: [String: LimitInfo], satseconds: [SatSecondsSpec]) {
        self.limits = limits
        self.satseconds = satseconds
    }

    /// Parses `text` and requires its type to be `expected` (any number when `expected` is numeric
    /// with an empty unit).
    mutating func parse(_ text: String, expecting expected: ValueType) throws(ExpressionError) -> Expression {
        tokens = try ExpressionLexer.tokens(text)
        index = 0
        nesting = 0
        if tokens.count - 1 > Self.maximumTokens {
            throw ExpressionError(offset: tokens[Self.maximumTokens].offset,
                                  message: "the expression is too long (more than \(Self.maximumTokens) names, numbers and operators)",
                                  hint: "split it into several rules, or use limits and functions")
        }
        if case .end = tokens[0].kind {
            throw ExpressionError(offset: 0, message: "empty expression")
        }
        let (e, t) = try parseOr()
        if case .end = current.kind {} else {
            throw ExpressionError(offset: current.offset, message: "unexpected `\(current.text)` after a complete expression",
                                  hint: "join conditions with `and` or `or`")
        }
        switch (expected, t) {
        case (.boolean, .boolean), (.duration, .duration): return e
        case (.number, .number): return e
        // `value:` and `limit:` (asked for as plain numbers) may also be durations (stale-data rules).
        case (.number(let u), .duration) where u.isEmpty: return e
        default:
            throw ExpressionError(offset: 0, message: "expected \(expected), found \(t)",
                                  hint: expected == .boolean ? "a condition compares something, e.g. `spo2 < spo2_low`" : nil)
        }
    }

    private var current: Token { tokens[index] }
    private mutating func advance() -> Token { let t = tokens[index]; index += 1; return t }
    private func isSymbol(_ s: String) -> Bool { if case .symbol(s) = current.kind { true } else { false } }
    private func isWord(_ s: String) -> Bool { if case .identifier(s) = current.kind { true } else { false } }

    private mutating func expect(_ s: String, _ what: String) throws(ExpressionError) {
        guard isSymbol(s) else {
            let found = current.text.isEmpty ? "the end" : "`\(current.text)`"
            throw ExpressionError(offset: current.offset, message: "expected `\(s)` \(what), found \(found)")
        }
        index += 1
    }

    private mutating func parseOr() throws(ExpressionError) -> (Expression, ValueType) {
        var (l, lt) = try parseAnd()
        while isWord("or") {
            let op = advance()
            let (r, rt) = try parseAnd()
            try requireBoolean(lt, at: 0, op: "or", side: op.offset)
            try requireBoolean(rt, at: op.offset, op: "or", side: op.offset)
            l = .or(l, r)
            lt = .boolean
        }
        return (l, lt)
    }

    private mutating func parseAnd() throws(ExpressionError) -> (Expression, ValueType) {
        var (l, lt) = try parseNot()
        while isWord("and") {
            let op = advance()
            let (r, rt) = try parseNot()
            try requireBoolean(lt, at: op.offset, op: "and", side: op.offset)
            try requireBoolean(rt, at: op.offset, op: "and", side: op.offset)
            l = .and(l, r)
            lt = .boolean
        }
        return (l, lt)
    }

    private func requireBoolean(_ t: ValueType, at offset: Int, op: String, side: Int) throws(ExpressionError) {
        guard t == .boolean else {
            throw ExpressionError(offset: side, message: "`\(op)` joins conditions, but one side is \(t)",
                                  hint: "compare it first, e.g. `spo2 < spo2_low`")
        }
    }

    /// Enters one level of nesting at `offset` (the current token by default); throws past
    /// `maximumNesting`.
    private mutating func enter(at offset: Int? = nil) throws(ExpressionError) {
        nesting += 1
        if nesting > Self.maximumNesting {
            throw ExpressionError(offset: offset ?? current.offset, message: "the expression nests too deeply (more than \(Self.maximumNesting) levels)",
                                  hint: "remove redundant parentheses or split the rule")
        }
    }

    private mutating func parseNot() throws(ExpressionError) -> (Expression, ValueType) {
        if isWord("not") {
            try enter()
            defer { nesting -= 1 }
            let op = advance()
            let (e, t) = try parseNot()
            guard t == .boolean else {
                throw ExpressionError(offset: op.offset, message: "`not` needs a condition, found \(t)")
            }
            return (.not(e), .boolean)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ExpressionError) -> (Expression, ValueType) {
        let start = current.offset
        let (l, lt) = try parseAdditive()
        guard case .symbol(let s) = current.kind, let op = Expression.Comparison(rawValue: s) else { return (l, lt) }
        let opToken = advance()
        let (r, rt) = try parseAdditive()
        try checkComparable(lt, rt, at: opToken.offset, start: start)
        if case .symbol(let s2) = current.kind, Expression.Comparison(rawValue: s2) != nil {
            throw ExpressionError(offset: current.offset, message: "comparisons do not chain",
                                  hint: "write `a < b and b < c`")
        }
        return (.compare(op, l, r), .boolean)
    }

    private func checkComparable(_ a: ValueType, _ b: ValueType, at offset: Int, start: Int) throws(ExpressionError) {
        switch (a, b) {
        case (.duration, .duration): return
        case (.number(let u), .number(let v)) where u == v || u.isEmpty || v.isEmpty: return
        case (.number(let u), .number(let v)):
            throw ExpressionError(offset: offset, message: "cannot compare a value in \(u) with one in \(v)",
                                  hint: "use a limit with the same unit as the metric")
        case (.duration, .number), (.number, .duration):
            throw ExpressionError(offset: offset, message: "cannot compare \(a) with \(b)",
                                  hint: "give the number a duration unit, e.g. `30s`, `10m`")
        default:
            throw ExpressionError(offset: offset, message: "cannot compare \(a) with \(b)")
        }
    }

    private mutating func parseAdditive() throws(ExpressionError) -> (Expression, ValueType) {
        var (l, lt) = try parseMultiplicative()
        while case .symbol(let s) = current.kind, s == "+" || s == "-" {
            let op = advance()
            let (r, rt) = try parseMultiplicative()
            let t: ValueType
            switch (lt, rt) {
            case (.duration, .duration): t = .duration
            case (.number(let u), .number(let v)) where u == v || u.isEmpty || v.isEmpty: t = .number(unit: u.isEmpty ? v : u)
            default:
                throw ExpressionError(offset: op.offset, message: "cannot \(s == "+" ? "add" : "subtract") \(rt) \(s == "+" ? "to" : "from") \(lt)")
            }
            l = .arithmetic(s == "+" ? .add : .sub, l, r)
            lt = t
        }
        return (l, lt)
    }

    private mutating func parseMultiplicative() throws(ExpressionError) -> (Expression, ValueType) {
        var (l, lt) = try parseUnary()
        while case .symbol(let s) = current.kind, s == "*" || s == "/" {
            let op = advance()
            let (r, rt) = try parseUnary()
            var t: ValueType?
            switch (s, lt, rt) {
            case ("*", .number(let u), .number(let v)) where u.isEmpty || v.isEmpty: t = .number(unit: u.isEmpty ? v : u)
            case ("*", .duration, .number(let v)) where v.isEmpty: t = .duration
            case ("*", .number(let u), .duration) where u.isEmpty: t = .duration
            case ("/", .number(let u), .number(let v)) where v.isEmpty: t = .number(unit: u)
            case ("/", .number(let u), .number(let v)) where u == v: t = .plain
            case ("/", .duration, .duration): t = .plain
            case ("/", .duration, .number(let v)) where v.isEmpty: t = .duration
            default: t = nil
            }
            guard let t else {
                throw ExpressionError(offset: op.offset, message: "cannot \(s == "*" ? "multiply" : "divide") \(lt) \(s == "*" ? "by" : "by") \(rt)")
            }
            l = .arithmetic(s == "*" ? .mul : .div, l, r)
            lt = t
        }
        return (l, lt)
    }

    private mutating func parseUnary() throws(ExpressionError) -> (Expression, ValueType) {
        if isSymbol("-") {
            try enter()
            defer { nesting -= 1 }
            let op = advance()
            let (e, t) = try parseUnary()
            guard t != .boolean else {
                throw ExpressionError(offset: op.offset, message: "cannot negate a condition", hint: "write `not`")
            }
            return (.negate(e), t)
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ExpressionError) -> (Expression, ValueType) {
        let tok = advance()
        switch tok.kind {
        case .number(let v): return (.number(v), .plain)
        case .duration(let v): return (.duration(v), .duration)
        case .symbol("("):
            try enter(at: tok.offset)
            defer { nesting -= 1 }
            let r = try parseOr()
            try expect(")", "to close the `(`")
            return r
        case .identifier(let name):
            return try parseName(name, tok)
        case .end:
            throw ExpressionError(offset: tok.offset, message: "the expression ends too early")
        case .symbol(let s):
            throw ExpressionError(offset: tok.offset, message: "unexpected `\(s)`")
        }
    }

    static func isConstant(_ e: Expression) -> Bool {
        switch e {
        case .number, .duration, .limit: true
        case .negate(let a): isConstant(a)
        case .arithmetic(_, let a, let b): isConstant(a) && isConstant(b)
        case .boolean, .metric, .sinceDose, .dosed, .baseline, .window, .count, .countLast, .age, .sensorOff,
             .artifact, .connected, .disconnected, .doseWindowCount, .satseconds, .compare, .and, .or, .not:
            false
        }
    }

    private var allNames: [String] {
        Metric.allCases.map(\.name) + limits.keys.sorted() + Self.functions.keys.sorted()
            + Self.variables.keys.sorted() + Self.keywords
    }

    private mutating func parseName(_ name: String, _ tok: Token) throws(ExpressionError) -> (Expression, ValueType) {
        let calls = isSymbol("(")
        switch name {
        case "true": return (.boolean(true), .boolean)
        case "false": return (.boolean(false), .boolean)
        case "and", "or", "not":
            throw ExpressionError(offset: tok.offset, message: "`\(name)` needs a condition before it")
        default: break
        }
        if let f = RuleFunction.callable[name] {
            guard calls else {
                throw ExpressionError(offset: tok.offset, message: "`\(name)` is a function", hint: "write `\(f.usage)`")
            }
            index += 1
            return try parseCall(f, tok)
        }
        if calls {
            throw ExpressionError(offset: tok.offset, message: "`\(name)` is not a function",
                                  hint: Suggestion.hint(for: name, in: Self.functions.keys.sorted()))
        }
        if let v = RuleFunction.variables[name] {
            return try parseCall(v, tok)
        }
        if let m = Metric(name: name) { return (.metric(m), .number(unit: m.displayUnit)) }
        if let l = limits[name] { return (.limit(l.slot), l.type) }
        throw ExpressionError(offset: tok.offset, message: "unknown name `\(name)`",
                              hint: Suggestion.hint(for: name, in: allNames)
                                ?? "metrics are \(Metric.allCases.map(\.name).joined(separator: ", ")); limits are declared under `limits:`")
    }

    private mutating func metricArgument(_ function: String, usage: String) throws(ExpressionError) -> Metric {
        let tok = advance()
        guard case .identifier(let name) = tok.kind else {
            throw ExpressionError(offset: tok.offset, message: "`\(function)` needs a metric name here", hint: "write `\(usage)`")
        }
        guard let m = Metric(name: name) else {
            throw ExpressionError(offset: tok.offset, message: "`\(name)` is not a metric",
                                  hint: Suggestion.hint(for: name, in: Metric.allCases.map(\.name))
                                    ?? "metrics are \(Metric.allCases.map(\.name).joined(separator: ", "))")
        }
        return m
    }

    private mutating func durationArgument(_ function: String, usage: String) throws(ExpressionError) -> Int64 {
        let tok = advance()
        switch tok.kind {
        case .duration(let s) where s > 0: return Int64((s * 1000).rounded())
        case .duration: throw ExpressionError(offset: tok.offset, message: "the window must be longer than zero")
        case .number:
            throw ExpressionError(offset: tok.offset, message: "`\(function)` needs a duration with a unit here",
                                  hint: "write `\(tok.text)s` or `\(tok.text)m`")
        default:
            throw ExpressionError(offset: tok.offset, message: "`\(function)` needs a duration here", hint: "write `\(usage)`")
        }
    }

    /// Parses a call of `f` after its `(` (or a variable, which has no parentheses): its
    /// arguments by the table's shape, and its `Expression` and type.
    private mutating func parseCall(_ f: RuleFunction, _ tok: Token) throws(ExpressionError) -> (Expression, ValueType) {
        let name = f.name, usage = f.usage
        if f.arguments == .none {
            switch f {
            case .sinceDose: return (.sinceDose, f.result(nil))
            case .dosed: return (.dosed, f.result(nil))
            case .baseline, .min, .max, .mean, .change, .count, .countLast, .age, .sensorOff, .artifact, .connected,
                 .disconnected, .satseconds, .countAfterDose:
                throw ExpressionError(offset: tok.offset, message: "`\(name)` is a function", hint: "write `\(usage)`")
            }
        }
        try enter(at: tok.offset)
        defer { nesting -= 1 }
        let m = try metricArgument(name, usage: usage)
        let type = f.result(m)
        let result: (Expression, ValueType)
        switch f {
        case .sinceDose, .dosed:
            throw ExpressionError(offset: tok.offset, message: "`\(name)` is not a function")
        case .baseline: result = (.baseline(m), type)
        case .age: result = (.age(m), type)
        case .sensorOff: result = (.sensorOff(m), type)
        case .artifact: result = (.artifact(m), type)
        case .connected: result = (.connected(m), type)
        case .disconnected: result = (.disconnected(m), type)
        case .min, .max, .mean, .change:
            guard let window = f.window else {
                throw ExpressionError(offset: tok.offset, message: "`\(name)` is not a window function")
            }
            try expect(",", "between the arguments of `\(name)`")
            let ms = try durationArgument(name, usage: usage)
            result = (.window(window, m, milliseconds: ms), type)
        case .count, .countLast:
            guard case .symbol(let s) = current.kind, let op = Expression.Comparison(rawValue: s) else {
                throw ExpressionError(offset: current.offset, message: "`\(name)` needs a comparison of the metric", hint: "write `\(usage)`")
            }
            let opTok = advance()
            let (rhs, rt) = try parseAdditive()
            try checkComparable(.number(unit: m.displayUnit), rt, at: opTok.offset, start: tok.offset)
            try expect(",", "between the arguments of `\(name)`")
            if f == .count {
                let ms = try durationArgument(name, usage: usage)
                result = (.count(m, op, rhs, milliseconds: ms), type)
            } else {
                let nt = advance()
                guard case .number(let n) = nt.kind, n >= 1, n == n.rounded(), n <= 1000 else {
                    throw ExpressionError(offset: nt.offset, message: "`count_last` needs a whole number of readings (1 to 1000)",
                                          hint: "write `\(usage)`")
                }
                result = (.countLast(m, op, rhs, n: Int(n)), type)
            }
        case .countAfterDose:
            var bounds: [Expression] = []
            for _ in 0..<2 {
                try expect(",", "between the arguments of `count_after_dose`")
                let at = current.offset
                let (e, t) = try parseAdditive()
                guard t == .duration, Self.isConstant(e) else {
                    throw ExpressionError(offset: at, message: "`count_after_dose` needs a fixed duration here (a duration or a duration limit)",
                                          hint: "write `\(usage)`")
                }
                bounds.append(e)
            }
            let spec = DoseWindowSpec(metric: m, from: bounds[0], to: bounds[1])
            if let i = doseWindows.firstIndex(of: spec) {
                result = (.doseWindowCount(i), type)
            } else {
                doseWindows.append(spec)
                result = (.doseWindowCount(doseWindows.count - 1), type)
            }
        case .satseconds:
            try expect(",", "between the arguments of `satseconds`")
            let lt = advance()
            let limit: Expression
            switch lt.kind {
            case .number(let v): limit = .number(v)
            case .identifier(let n):
                guard let l = limits[n] else {
                    throw ExpressionError(offset: lt.offset, message: "unknown limit `\(n)`",
                                          hint: Suggestion.hint(for: n, in: limits.keys.sorted()))
                }
                guard case .number(let u) = l.type, u.isEmpty || u == m.displayUnit else {
                    throw ExpressionError(offset: lt.offset, message: "limit `\(n)` is \(l.type), not in the unit of \(m.name)")
                }
                limit = .limit(l.slot)
            case .duration, .symbol, .end:
                throw ExpressionError(offset: lt.offset, message: "`satseconds` needs a limit name or a number here",
                                      hint: "write `\(usage)`")
            }
            let spec = SatSecondsSpec(metric: m, limit: limit)
            if let i = satseconds.firstIndex(of: spec) {
                result = (.satseconds(i), type)
            } else {
                satseconds.append(spec)
                result = (.satseconds(satseconds.count - 1), type)
            }
        }
        try expect(")", "to close `\(name)(`")
        return result
    }
}
