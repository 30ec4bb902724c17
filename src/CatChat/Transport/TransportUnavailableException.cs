namespace CatChat.Transport;

/// <summary>
/// The chat transport asked for by name cannot run on this machine (io_uring refused by a seccomp filter, or a kernel
/// too old); the message says which and why. The host reports it as a bad setting, not as a crash.
/// </summary>
public sealed class TransportUnavailableException(string message) : IOException(message);
