/// The version `vgpo-server` reports in `/health` and `--version`.
public enum ServingVersion {
    public static let current = "0.1.0"
}
