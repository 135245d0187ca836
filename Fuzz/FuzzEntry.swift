// libFuzzer entry for every decoder. Built by scripts/fuzz.sh into one binary with
// VitalsCore and DeviceProtocols; FUZZ_PROFILE picks the decoder.
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) private var profileType: (any DeviceProfile.Type)? = nil

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let name = getenv("FUZZ_PROFILE").map { String(cString: $0) }
    if name == "list" {
        print(ProfileCatalog.all.map { $0.id }.joined(separator: " "))
        exit(0)
    }
    guard let name, let p = ProfileCatalog.profile(named: name) else {
        fputs("set FUZZ_PROFILE to one of: \(ProfileCatalog.knownNames)\n", stderr)
        exit(2)
    }
    profileType = p
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let profile = profileType else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    // Whole input at once, then the same bytes split at a data-derived point: the decoder must
    // survive both and give the same events (chunking invariance under arbitrary bytes).
    var whole = profile.makeDecoder()
    var a: [DecoderEvent] = []
    whole.decode(bytes, into: &a)
    var split = profile.makeDecoder()
    var b: [DecoderEvent] = []
    let cut = size == 0 ? 0 : Int(bytes[0]) % size
    split.decode(UnsafeRawBufferPointer(rebasing: bytes[0..<cut]), into: &b)
    split.decode(UnsafeRawBufferPointer(rebasing: bytes[cut...]), into: &b)
    if a != b {
        fputs("chunking changed the output at cut \(cut)\n", stderr)
        abort()
    }
    for case .reading(let r) in a where !r.value.isFinite {
        fputs("non-finite reading \(r)\n", stderr)
        abort()
    }
    // Plausibility at the source (issue 12.5): no decoder lets a value out that its metric cannot take.
    for case .reading(let r) in a where !r.metric.plausibleRange.contains(r.value) {
        fputs("implausible reading \(r)\n", stderr)
        abort()
    }
    return 0
}
