/// A command-line "NAME=PATH" (or a bare PATH). It splits at the last "=": labels may hold one
/// ("VGPO w=1/64=runs/vgpo-f0v-kl6"), the project's paths do not.
struct NamedPath {
    let name: String?
    let path: String

    init(_ spec: String) {
        if let equals = spec.lastIndex(of: "=") {
            name = String(spec[..<equals]); path = String(spec[spec.index(after: equals)...])
        } else {
            name = nil; path = spec
        }
    }
}
