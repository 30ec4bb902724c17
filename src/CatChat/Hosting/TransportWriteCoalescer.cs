using CatChat.Sessions;
using CatChat.Transport;

namespace CatChat.Hosting;

/// <summary>The flush lanes' <see cref="IWriteCoalescer"/>, made of the socket transport's <see cref="SendCoalescer"/>.</summary>
internal sealed class TransportWriteCoalescer(SendCoalescer sends) : IWriteCoalescer
{
    public void Begin() => sends.Begin();

    public void Submit() => sends.Submit();

    public void End() => sends.End();
}
