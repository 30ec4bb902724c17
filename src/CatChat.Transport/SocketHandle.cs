using System.Runtime.InteropServices;
using CatChat.Transport.Native;

namespace CatChat.Transport;

/// <summary>
/// An accepted socket's file descriptor. A <see cref="SafeHandle"/> because sends, receives and the close
/// come from different threads: a call in flight holds a reference, so the descriptor is closed only after
/// it returns, and its number cannot be reused under that call by the next accepted connection.
/// </summary>
internal sealed class SocketHandle : SafeHandle
{
    public SocketHandle(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        SetHandle(fd);
    }

    public override bool IsInvalid => handle < 0;

    public int Fd => (int)handle;

    // Closing also removes the descriptor from the epoll set.
    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
