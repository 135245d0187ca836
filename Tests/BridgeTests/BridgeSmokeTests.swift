import Testing

@Test func BridgeBuilds() {
    #expect(Bool(true))
}
