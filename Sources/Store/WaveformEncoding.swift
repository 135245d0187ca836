import Foundation

/// How waveform samples are packed into a chunk's blob: `encoding` 1 is signed 16-bit
/// little-endian (every oximeter pleth this project decodes fits), 2 is signed 32-bit
/// little-endian for anything wider.
enum WaveformEncoding {
    /// Packs samples, choosing the narrowest encoding that holds them all.
    static func encode(_ samples: [Int32]) -> (encoding: Int, blob: Data) {
        let narrow = samples.allSatisfy { $0 >= Int32(Int16.min) && $0 <= Int32(Int16.max) }
        // Little-endian bytes written into one buffer, then one Data: appending to Data sample by
        // sample cost more than the chunk's insert (make bench, figure 4).
        let width = narrow ? 2 : 4
        let bytes = [UInt8](unsafeUninitializedCapacity: samples.count * width) { buffer, count in
            var i = 0
            for s in samples {
                let u = narrow ? UInt32(UInt16(bitPattern: Int16(s))) : UInt32(bitPattern: s)
                for k in 0..<width { buffer[i + k] = UInt8(truncatingIfNeeded: u >> (8 * k)) }
                i += width
            }
            count = i
        }
        return (narrow ? 1 : 2, Data(bytes))
    }

    static func decode(_ blob: Data, encoding: Int) -> [Int32]? {
        let width = encoding == 1 ? 2 : encoding == 2 ? 4 : 0
        guard width > 0, blob.count % width == 0 else { return nil }
        let bytes = [UInt8](blob)
        var out: [Int32] = []
        out.reserveCapacity(bytes.count / width)
        var i = 0
        while i < bytes.count {
            if width == 2 {
                out.append(Int32(Int16(bitPattern: UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)))
            } else {
                let u = UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
                out.append(Int32(bitPattern: u))
            }
            i += width
        }
        return out
    }
}
