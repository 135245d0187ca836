import VitalsCore

/// Collects one device's waveform batches until they make about a second (one chunk).
struct WaveformAccumulator: Sendable {
    /// Host time of the first sample.
    var startAt: Int64
    /// The samples so far, their metric, rate and the union of flags.
    var waveform: Waveform

    /// Host time just after the last sample.
    var endAt: Int64 {
        guard waveform.sampleRate > 0 else { return startAt }
        return startAt + Int64((Double(waveform.samples.count) * 1000 / waveform.sampleRate).rounded())
    }

    /// True when `next` at `at` continues this chunk (same metric and rate, no gap over a second).
    func continues(with next: Waveform, at: Int64) -> Bool {
        next.metric == waveform.metric && next.sampleRate == waveform.sampleRate && abs(at - endAt) <= 1000
    }

    /// True when it holds a second of samples.
    var isFull: Bool { Double(waveform.samples.count) >= max(1, waveform.sampleRate) }
}
