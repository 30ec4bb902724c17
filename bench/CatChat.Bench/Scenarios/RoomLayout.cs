using System.Globalization;

namespace CatChat.Bench.Scenarios;

/// <summary>
/// Who is in which room in a rooms run: <see cref="Rooms"/> rooms of <see cref="Members"/> members each, clients
/// 0 to Rooms × Members - 1, client i in room i mod Rooms (so consecutive clients land in different rooms, and each
/// room's members are spread over the connect order). <see cref="Senders"/> senders in total, clients 0 to
/// Senders - 1, as in fanout: sender k is client k, so in room k mod Rooms, the (k / Rooms)-th sender there. With
/// fewer senders than rooms, the rooms past the last sender are silent, and their members must receive nothing.
/// </summary>
internal sealed record RoomLayout
{
    public RoomLayout(int rooms, int members, int senders)
    {
        if (rooms < 1 || members < 1)
        {
            throw new ArgumentException("--rooms and --members must be positive");
        }

        if (senders < 1 || senders > (long)rooms * members)
        {
            throw new ArgumentException($"--senders must be from 1 to rooms × members ({(long)rooms * members})");
        }

        if (senders >= Wire.BenchPayload.MaxSenders)
        {
            throw new ArgumentException($"--senders (one per room unless given) must be below {Wire.BenchPayload.MaxSenders}");
        }

        Rooms = rooms;
        Members = members;
        Senders = senders;
    }

    public int Rooms { get; }

    public int Members { get; }

    /// <summary>Senders over all rooms.</summary>
    public int Senders { get; }

    /// <summary>Clients in all (every one a member of exactly one room).</summary>
    public int Clients => Rooms * Members;

    /// <summary>The most senders any room has: the first Senders mod Rooms rooms have one more than the rest.</summary>
    public int MaxSendersPerRoom => (Senders + Rooms - 1) / Rooms;

    /// <summary>The room of client (or sender) <paramref name="client"/>.</summary>
    public int RoomOf(int client) => client % Rooms;

    /// <summary>Which of its room's senders sender <paramref name="sender"/> is: a receiver's ledger has one slot per sender of its room.</summary>
    public int SlotOf(int sender) => sender / Rooms;

    /// <summary>How many senders room <paramref name="room"/> has.</summary>
    public int SendersIn(int room) => (Senders / Rooms) + (room < Senders % Rooms ? 1 : 0);

    /// <summary>The room's name without CatChat's '#': also the Redis channel, so both servers see the same layout.</summary>
    public static string Name(int room) => "r-" + room.ToString(CultureInfo.InvariantCulture);
}
