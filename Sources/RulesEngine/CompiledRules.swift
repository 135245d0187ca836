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
}
