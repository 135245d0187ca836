/// One place in a compiled rule where its conditions can change with time alone, resolved at
/// load (constants and limits in milliseconds), so deadlines need no walk of expression trees.
///
/// `RuleEngine.nextDeadline` and the tick's skipping of unchanged rules use these.
enum TimeCrossing {
    /// `age(m)` compared with a constant of `offset` ms: it crosses at the last valid reading's
    /// time plus `offset` (and 1 ms later, for strict comparisons).
    case age(slot: Int, offset: Int64)
    /// `since_dose` compared with a constant of `offset` ms.
    case sinceDose(offset: Int64)
    /// A window or count over `milliseconds`: it changes when its oldest reading leaves.
    case window(slot: Int, milliseconds: Int64)
}
