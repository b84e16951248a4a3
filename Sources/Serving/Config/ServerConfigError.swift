/// Why a server configuration was refused; the message names the file and the field.
public enum ServerConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, detail: String)
    case invalidValue(field: String, message: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read config \(path): \(reason)"
        case let .malformed(path, detail): return "bad config \(path): \(detail)"
        case let .invalidValue(field, message): return "bad config value \(field): \(message)"
        }
    }
}
