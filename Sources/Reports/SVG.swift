import Foundation
import Plot

/// Small builders for inline SVG through Plot (which escapes every text and attribute).
enum SVG {
    typealias N = Node<HTML.BodyContext>

    static func el(_ name: String, _ attrs: [(String, String)], _ children: [N] = []) -> N {
        .element(named: name, nodes: attrs.map { N.attribute(named: $0.0, value: $0.1, ignoreIfValueIsEmpty: false) } + children)
    }

    static func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double = 11, attrs: [(String, String)] = []) -> N {
        el("text", [("x", f(x)), ("y", f(y)), ("text-anchor", anchor), ("font-size", f(size))] + attrs, [.text(s)])
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ attrs: [(String, String)]) -> N {
        el("line", [("x1", f(x1)), ("y1", f(y1)), ("x2", f(x2)), ("y2", f(y2))] + attrs)
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ attrs: [(String, String)]) -> N {
        el("rect", [("x", f(x)), ("y", f(y)), ("width", f(max(w, 0))), ("height", f(max(h, 0)))] + attrs)
    }

    /// One decimal place, without a trailing `.0`: keeps the file small.
    static func f(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }
}
