import CSndFile
import Foundation

/// A growable byte buffer with a file position, exposed to libsndfile through its virtual I/O
/// interface, so uploads decode from memory and WAVs encode to memory without temporary files.
///
/// libsndfile seeks back to patch the header when a writer closes, so writes may overwrite.
final class MemoryStream {
    private(set) var bytes: [UInt8]
    private var position = 0

    init(bytes: [UInt8] = []) { self.bytes = bytes }

    var length: Int { bytes.count }

    func read(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        let n = max(0, min(count, bytes.count - position))
        if n > 0 {
            bytes.withUnsafeBytes { source in
                destination.copyMemory(from: source.baseAddress! + position, byteCount: n)
            }
            position += n
        }
        return n
    }

    func write(from source: UnsafeRawPointer, count: Int) -> Int {
        let end = position + count
        if end > bytes.count { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
        bytes.withUnsafeMutableBytes { destination in
            (destination.baseAddress! + position).copyMemory(from: source, byteCount: count)
        }
        position = end
        return count
    }

    /// `whence` is SEEK_SET, SEEK_CUR or SEEK_END; returns the new position or -1.
    func seek(offset: Int, whence: Int32) -> Int {
        let base: Int
        switch whence {
        case SEEK_SET: base = 0
        case SEEK_CUR: base = position
        case SEEK_END: base = bytes.count
        default: return -1
        }
        let target = base + offset
        guard target >= 0 else { return -1 }
        position = target
        return position
    }

    func tell() -> Int { position }

    /// The C callback table; each callback recovers `self` from libsndfile's user-data pointer.
    static let virtualIO = SF_VIRTUAL_IO(
        get_filelen: { context in sf_count_t(stream(context).length) },
        seek: { offset, whence, context in sf_count_t(stream(context).seek(offset: Int(offset), whence: whence)) },
        read: { pointer, count, context in
            guard let pointer else { return 0 }
            return sf_count_t(stream(context).read(into: pointer, count: Int(count)))
        },
        write: { pointer, count, context in
            guard let pointer else { return 0 }
            return sf_count_t(stream(context).write(from: pointer, count: Int(count)))
        },
        tell: { context in sf_count_t(stream(context).tell()) }
    )

    private static func stream(_ context: UnsafeMutableRawPointer?) -> MemoryStream {
        Unmanaged<MemoryStream>.fromOpaque(context!).takeUnretainedValue()
    }
}
