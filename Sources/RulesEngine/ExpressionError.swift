/// A problem in one expression, at an offset within its text; the loader turns it into a
/// `RuleProblem` at the right line and column.
struct ExpressionError: Error, Hashable {
    /// Offset in Unicode scalars from the start of the expression text.
    var offset: Int
    /// What is wrong.
    var message: String
    /// A suggestion, where one can be made.
    var hint: String?
}
