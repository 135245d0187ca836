import VitalsCore

/// Temporary: decodes nothing. Removed once every profile has its decoder.
struct PlaceholderDecoder: DeviceDecoder {
    var statistics = DecoderStatistics()
    mutating func decode(_ bytes: UnsafeRawBufferPointer, into events: inout [DecoderEvent]) {
        statistics.bytes += bytes.count
    }
}

/// Temporary: encodes nothing.
struct PlaceholderEncoder: DeviceEncoder {
    var period: Duration { .seconds(1) }
    mutating func encode(_ snapshot: VitalSnapshot) -> [EncodedChunk] { [] }
}
