using System.Net;

namespace CatChat.Transport;

/// <summary>How a <see cref="SocketTransport"/> holds its sockets.</summary>
public enum SocketTransportMode
{
    /// <summary>epoll, and io_uring direct descriptors for connections past the process's open-files limit.</summary>
    Auto,

    /// <summary>The epoll reactor alone.</summary>
    Epoll,

    /// <summary>io_uring rings alone; the start fails where the kernel refuses io_uring.</summary>
    IoUring,
}

/// <summary>What a <see cref="SocketTransport"/> listens on and how it treats its connections.</summary>
public sealed class SocketTransportOptions
{
    public required IPEndPoint EndPoint { get; init; }

    public SocketTransportMode Mode { get; init; } = SocketTransportMode.Auto;

    /// <summary>Connections the application will admit at most: sizes the io_uring rings.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>How long <see cref="SocketTransport.StopAsync"/> waits for the application to dispose its connections.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
