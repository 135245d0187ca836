import RulesEngine

/// The shipped rules engine is the pipeline's evaluator.
extension RuleEngine: AlertEvaluator {}
