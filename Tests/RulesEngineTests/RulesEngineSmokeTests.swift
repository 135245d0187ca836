import Testing

@Test func RulesEngineBuilds() {
    #expect(Bool(true))
}
