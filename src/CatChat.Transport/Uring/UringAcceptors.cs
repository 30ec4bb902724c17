using System.Net;
using CatChat.Transport.Native;

namespace CatChat.Transport.Uring;

/// <summary>
/// The io_uring side of a socket transport: enough rings to hold every connection the application admits, each accepting
/// from the same listening socket into its own table of direct descriptors. The kernel caps one ring's table at
/// the process's open-files limit, so more rings, not a higher limit, make room past it.
/// </summary>
internal sealed class UringAcceptors : IDisposable
{
    private const uint LargestTable = 65_536;

    // Each ring is a thread and about 2 MiB of buffers: a cap of millions must not make hundreds.
    private const int MostRings = 8;

    private readonly UringReactor[] _reactors;

    private UringAcceptors(UringReactor[] reactors, uint perRing)
    {
        _reactors = reactors;
        PerRing = perRing;
    }

    public uint PerRing { get; }

    public int Rings => _reactors.Length;

    /// <summary>Builds the rings; throws <see cref="IOException"/> where io_uring is not available.</summary>
    public static UringAcceptors Create(int connections, Action<UringConnection> accepted, Action<Exception> acceptFailed, Action<TransportConnection> disposed)
    {
        var perRing = (uint)Math.Clamp(OpenFilesLimit(), 64, LargestTable);
        var rings = (int)Math.Clamp((connections + perRing - 1) / perRing, 1, MostRings);
        var reactors = new List<UringReactor>(rings);
        try
        {
            for (var i = 0; i < rings; i++)
            {
                reactors.Add(new UringReactor($"catchat-uring-{i}", perRing, accepted, acceptFailed, disposed));
            }
        }
        catch
        {
            foreach (var reactor in reactors)
            {
                reactor.Dispose();
            }

            throw;
        }

        return new UringAcceptors([.. reactors], perRing);
    }

    public void StartAccepting(int listener, EndPoint? localEndPoint)
    {
        foreach (var reactor in _reactors)
        {
            reactor.StartAccepting(listener, localEndPoint);
        }
    }

    public void StopAccepting()
    {
        foreach (var reactor in _reactors)
        {
            reactor.StopAccepting();
        }
    }

    public void Dispose()
    {
        foreach (var reactor in _reactors)
        {
            reactor.Dispose();
        }
    }

    /// <summary>The soft open-files limit, which the runtime raises to the hard one at start.</summary>
    public static unsafe long OpenFilesLimit()
    {
        var limits = stackalloc ulong[2];
        return Libc.GetResourceLimit(Libc.RLIMIT_NOFILE, limits) == 0 ? (long)Math.Min(limits[0], int.MaxValue) : 1024;
    }
}
