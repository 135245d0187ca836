/// Every rule's `when` and `clear` compiled into one flat instruction array, with each rule's
/// range in it, so evaluating all rules reads one buffer.
struct CompiledRules {
    var instructions: [Instruction] = []
    /// Rule `i`'s `when` program.
    var when: [Range<Int>] = []
    /// Rule `i`'s `clear` program (empty when it has none).
    var clear: [Range<Int>] = []
    /// The deepest any program's value stack gets.
    var depth = 1
    /// Every rule's time crossings (`when` then `clear`), in one flat array.
    var crossings: [TimeCrossing] = []
    /// Rule `i`'s crossings in `crossings`.
    var crossingRanges: [Range<Int>] = []
    /// Whether rule `i`'s crossings describe every way time alone changes its conditions.
    var timeCovered: [Bool] = []

    init() {}

    init(_ rules: [Rule]) {
        for r in rules {
            when.append(append(Program(r.when)))
            clear.append(r.clear.map { append(Program($0)) } ?? instructions.count..<instructions.count)
        }
    }

    private mutating func append(_ p: Program) -> Range<Int> {
        let start = instructions.count
        instructions += p.code
        depth = max(depth, p.depth)
        return start..<instructions.count
    }

    /// Resolves every rule's time crossings against the limits in force (at load and reload).
    mutating func compileCrossings(_ rules: [Rule], _ memory: borrowing EngineMemory) {
        crossings = []
        crossingRanges = []
        timeCovered = []
        for r in rules {
            let start = crossings.count
            var covered = memory.compileCrossings(r.when, into: &crossings)
            if let c = r.clear { covered = memory.compileCrossings(c, into: &crossings) && covered }
            crossingRanges.append(start..<crossings.count)
            timeCovered.append(covered)
        }
    }
}
