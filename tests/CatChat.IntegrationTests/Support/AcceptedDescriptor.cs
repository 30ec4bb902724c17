using System.Net.Sockets;
using CatChat.Transport;

namespace CatChat.IntegrationTests.Support;

/// <summary>Hands an accepted .NET socket's descriptor to the chat's own transport, as its listener's accept4 would.</summary>
internal static class AcceptedDescriptor
{
    /// <summary>
    /// Takes the descriptor away from <paramref name="accepted"/>, non-blocking. The .NET socket is never disposed
    /// (it would wait on the handle for ever); the returned handle owns the descriptor.
    /// </summary>
    public static SocketHandle Take(Socket accepted)
    {
        accepted.Blocking = false;
        var fd = (int)accepted.SafeHandle.DangerousGetHandle();
        accepted.SafeHandle.SetHandleAsInvalid();
        GC.SuppressFinalize(accepted.SafeHandle);
        GC.SuppressFinalize(accepted);
        return new SocketHandle(fd);
    }
}
