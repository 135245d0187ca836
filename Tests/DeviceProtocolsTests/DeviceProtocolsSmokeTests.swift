import Testing

@Test func DeviceProtocolsBuilds() {
    #expect(Bool(true))
}
