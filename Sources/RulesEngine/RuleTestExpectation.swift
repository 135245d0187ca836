import VitalsCore

/// One alert event a rule unit test expects; fields left `nil` are not compared.
struct RuleTestExpectation: Sendable {
    var time: Int64
    var rule: String
    var event: AlertEventKind
    var priority: AlertPriority?
    var value: Double?
    var message: String?

    func matches(_ e: AlertEvent) -> Bool {
        e.time.milliseconds == time && e.rule == rule && e.event == event
            && (priority == nil || priority == e.priority)
            && (value == nil || (e.value.map { abs($0 - value!) < 0.05 } ?? false))
            && (message == nil || message == e.message)
    }

    var line: String {
        var s = "\(RuleTestCase.format(time)) \(rule) \(event.rawValue)"
        if let priority { s += " priority=\(priority.rawValue)" }
        if let value { s += " value=\(RuleEngine.format(value))" }
        if let message { s += " message=\"\(message)\"" }
        return s
    }
}
