/// One token of a rule expression, with its offset (in Unicode scalars) in the expression text.
struct Token: Hashable {
    /// What the token is.
    enum Kind: Hashable {
        case number(Double)
        case duration(Double)
        case identifier(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    /// Offset of the token's first character, from 0.
    var offset: Int
    /// The token's text.
    var text: String
}
