namespace CatChat.Transport;

/// <summary>The way of holding sockets that was asked for by name is refused here (io_uring under a seccomp filter, say).</summary>
public sealed class TransportUnavailableException(string message, Exception? innerException = null) : IOException(message, innerException);
