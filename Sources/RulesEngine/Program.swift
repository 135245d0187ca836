import VitalsCore

/// A rule condition compiled to postfix `Instruction`s, so the hot path walks a flat array
/// instead of an expression tree (whose indirect nodes cost reference counting at each step).
/// It gives exactly the tree evaluator's results (`EngineMemory.bool`), which the tests check.
struct Program {
    var code: [Instruction] = []
    /// The deepest the value stack gets.
    var depth = 0

    init(_ e: Expression) {
        var d = 0
        emit(e, &d)
        code = Self.fused(code)
    }

    /// Replaces three-instruction comparisons of a metric or an age with a limit or constant by
    /// one instruction each: the same values, a third of the dispatches. `depth` stays an upper
    /// bound (fusing only lowers the stack's peak).
    static func fused(_ code: [Instruction]) -> [Instruction] {
        var out: [Instruction] = []
        out.reserveCapacity(code.count)
        var i = 0
        while i < code.count {
            if i + 2 < code.count, case .compare(let op) = code[i + 2] {
                switch (code[i], code[i + 1]) {
                case (.metric(let s), .limit(let l)):
                    out.append(.compareMetricLimit(s, l, op))
                    i += 3
                    continue
                case (.age(let s), .limit(let l)):
                    out.append(.compareAgeLimit(s, l, op))
                    i += 3
                    continue
                case (.metric(let s), .constant(let v)):
                    out.append(.compareMetricConstant(s, v, op))
                    i += 3
                    continue
                default:
                    break
                }
            }
            out.append(code[i])
            i += 1
        }
        return out
    }

    private mutating func push(_ i: Instruction, _ d: inout Int, delta: Int) {
        code.append(i)
        d += delta
        depth = max(depth, d)
    }

    private mutating func emit(_ e: Expression, _ d: inout Int) {
        switch e {
        case .number(let v), .duration(let v): push(.constant(v), &d, delta: 1)
        case .boolean(let b): push(.constant(b ? 1 : 0), &d, delta: 1)
        case .metric(let m): push(.metric(m.storageCode), &d, delta: 1)
        case .limit(let i): push(.limit(i), &d, delta: 1)
        case .sinceDose: push(.sinceDose, &d, delta: 1)
        case .dosed: push(.dosed, &d, delta: 1)
        case .baseline(let m): push(.baseline(m), &d, delta: 1)
        case .window(let f, let m, let ms): push(.window(f, m.storageCode, ms), &d, delta: 1)
        case .count(let m, let op, let rhs, let ms):
            emit(rhs, &d)
            push(.count(m.storageCode, op, ms), &d, delta: 0)
        case .countLast(let m, let op, let rhs, let n):
            emit(rhs, &d)
            push(.countLast(m.storageCode, op, n), &d, delta: 0)
        case .age(let m): push(.age(m.storageCode), &d, delta: 1)
        case .sensorOff(let m): push(.sensorOff(m.storageCode), &d, delta: 1)
        case .artifact(let m): push(.artifact(m.storageCode), &d, delta: 1)
        case .connected(let m): push(.connected(m.storageCode), &d, delta: 1)
        case .disconnected(let m): push(.disconnected(m.storageCode), &d, delta: 1)
        case .satseconds(let i): push(.satseconds(i), &d, delta: 1)
        case .doseWindowCount(let i): push(.doseWindowCount(i), &d, delta: 1)
        case .negate(let a):
            emit(a, &d)
            push(.negate, &d, delta: 0)
        case .not(let a):
            emit(a, &d)
            push(.not, &d, delta: 0)
        case .arithmetic(let op, let a, let b):
            emit(a, &d)
            emit(b, &d)
            push(.arithmetic(op), &d, delta: -1)
        case .compare(let op, let a, let b):
            emit(a, &d)
            emit(b, &d)
            push(.compare(op), &d, delta: -1)
        case .and(let a, let b):
            emit(a, &d)
            emit(b, &d)
            push(.and, &d, delta: -1)
        case .or(let a, let b):
            emit(a, &d)
            emit(b, &d)
            push(.or, &d, delta: -1)
        }
    }
}

extension EngineMemory {
    /// Runs a compiled condition: `nil` when undefined.
    func bool(_ p: Program) -> Bool? {
        let v = run(p)
        return v.isNaN ? nil : v != 0
    }

    /// Runs a compiled expression; NaN when undefined.
    func run(_ p: Program) -> Double {
        p.code.withUnsafeBufferPointer { run($0, 0..<$0.count, depth: p.depth) }
    }

    /// Runs the compiled condition at `range` of `code`: `nil` when undefined.
    func bool(_ code: UnsafeBufferPointer<Instruction>, _ range: Range<Int>, depth: Int) -> Bool? {
        let v = run(code, range, depth: depth)
        return v.isNaN ? nil : v != 0
    }

    /// Runs the instructions at `range` of `code`; NaN when undefined.
    func run(_ code: UnsafeBufferPointer<Instruction>, _ range: Range<Int>, depth: Int) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(depth, 1)) { stack in
            run(code, range, stack: stack.baseAddress!)
        }
    }

    /// Runs the compiled condition at `range` of `code` on `stack` (room for the programs'
    /// depth): `nil` when undefined.
    func bool(_ code: UnsafeBufferPointer<Instruction>, _ range: Range<Int>, stack: UnsafeMutablePointer<Double>) -> Bool? {
        let v = run(code, range, stack: stack)
        return v.isNaN ? nil : v != 0
    }

    /// Runs the instructions at `range` of `code` on `stack`; NaN when undefined. No closure
    /// here: one capturing `self` copied the whole memory (retaining its arrays) per program.
    func run(_ code: UnsafeBufferPointer<Instruction>, _ range: Range<Int>, stack: UnsafeMutablePointer<Double>) -> Double {
        var sp = 0
        @inline(__always) func b(_ x: Bool) -> Double { x ? 1 : 0 }
        for pc in range {
            let ins = code[pc]
            switch ins {
            case .constant(let v): stack[sp] = v; sp += 1
            case .metric(let s): stack[sp] = histories[s].lastValidValue ?? .nan; sp += 1
            case .limit(let i): stack[sp] = limitTable[i]; sp += 1
            case .sinceDose: stack[sp] = sinceDose() ?? .nan; sp += 1
            case .dosed: stack[sp] = b(doseTime != nil); sp += 1
            case .baseline(let m): stack[sp] = baselines[m] ?? .nan; sp += 1
            case .window(let f, let s, let ms): stack[sp] = window(f, s, ms) ?? .nan; sp += 1
            case .count(let s, let op, let ms):
                let limit = stack[sp - 1]
                stack[sp - 1] = limit.isNaN ? .nan : count(s, op, limit, ms)
            case .countLast(let s, let op, let n):
                let limit = stack[sp - 1]
                stack[sp - 1] = limit.isNaN ? .nan : countLast(s, op, limit, n)
            case .age(let s): stack[sp] = age(s); sp += 1
            case .sensorOff(let s): stack[sp] = b(histories[s].sensorOff); sp += 1
            case .artifact(let s): stack[sp] = b(artifact(s)); sp += 1
            case .connected(let s): stack[sp] = b(connected(s)); sp += 1
            case .disconnected(let s): stack[sp] = b(disconnected(s)); sp += 1
            case .satseconds(let i): stack[sp] = satseconds[i].value; sp += 1
            case .doseWindowCount(let i): stack[sp] = doseTime == nil ? .nan : Double(doseWindowCounts[i]); sp += 1
            case .negate: stack[sp - 1] = -stack[sp - 1]
            case .not:
                let x = stack[sp - 1]
                stack[sp - 1] = x.isNaN ? .nan : 1 - x
            case .arithmetic(let op):
                let x = stack[sp - 2], y = stack[sp - 1]
                sp -= 1
                stack[sp - 1] = x.isNaN || y.isNaN ? .nan : (Self.arithmetic(op, x, y) ?? .nan)
            case .compare(let op):
                let x = stack[sp - 2], y = stack[sp - 1]
                sp -= 1
                stack[sp - 1] = x.isNaN || y.isNaN ? .nan : b(op.holds(x, y))
            case .and:
                let x = stack[sp - 2], y = stack[sp - 1]
                sp -= 1
                stack[sp - 1] = x == 0 || y == 0 ? 0 : (x.isNaN || y.isNaN ? .nan : 1)
            case .or:
                let x = stack[sp - 2], y = stack[sp - 1]
                sp -= 1
                stack[sp - 1] = x == 1 || y == 1 ? 1 : (x.isNaN || y.isNaN ? .nan : 0)
            case .compareMetricLimit(let s, let l, let op):
                let x = histories[s].lastValidValue ?? .nan, y = limitTable[l]
                stack[sp] = x.isNaN || y.isNaN ? .nan : b(op.holds(x, y)); sp += 1
            case .compareAgeLimit(let s, let l, let op):
                let x = age(s), y = limitTable[l]
                stack[sp] = x.isNaN || y.isNaN ? .nan : b(op.holds(x, y)); sp += 1
            case .compareMetricConstant(let s, let v, let op):
                let x = histories[s].lastValidValue ?? .nan
                stack[sp] = x.isNaN || v.isNaN ? .nan : b(op.holds(x, v)); sp += 1
            }
        }
        return stack[0]
    }
}
