/// "Did you mean ...?" hints: the closest candidate by edit distance, when it is close enough.
enum Suggestion {
    /// The candidate nearest to `word`, if its edit distance is at most a third of the word's
    /// length (at least 2), or if one contains the other.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased().unicodeScalars))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (name, d) = best else { return nil }
        let allowed = max(2, w.count / 3)
        if d <= allowed { return name }
        let lw = word.lowercased()
        if let c = candidates.first(where: { $0.lowercased().contains(lw) || (lw.contains($0.lowercased()) && $0.count > 2) }) {
            return c
        }
        return nil
    }

    /// A `did you mean` sentence for `word`, or `nil`.
    static func hint(for word: String, in candidates: [String]) -> String? {
        nearest(to: word, in: candidates).map { "did you mean `\($0)`?" }
    }

    /// Levenshtein distance.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
