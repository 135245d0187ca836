import Testing

@Test func DeviceIOBuilds() {
    #expect(Bool(true))
}
