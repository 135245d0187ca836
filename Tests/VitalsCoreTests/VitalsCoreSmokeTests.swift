import Testing

@Test func VitalsCoreBuilds() {
    #expect(Bool(true))
}
