namespace CatChat.Bench.Wire;

/// <summary>
/// What a frame parser reports: the benchmark messages it found, the one reply that means "ready", and (IRC) the replies
/// the client must answer.
/// </summary>
internal interface IFrameSink
{
    /// <summary>A benchmark message's text; valid only during the call (it points into the receive buffer).</summary>
    void OnPayload(ReadOnlySpan<byte> text);

    /// <summary>The server has taken the connection in: CatChat's welcome notice (or, in rooms, its join), Redis's subscribe confirmation.</summary>
    void OnReady();

    /// <summary>
    /// A benchmark message that came prefixed with a room's name (CatChat: a line of a room the client is in but is not
    /// its current room). Only <see cref="ChatFrames.ParseInRooms"/> reports it; a rooms run counts it as misrouted.
    /// </summary>
    void OnPayloadFromRoom(ReadOnlySpan<byte> room, ReadOnlySpan<byte> text)
    {
    }

    /// <summary>The server refused what the client asked before it was ready (CatChat: an error line in answer to its /join).</summary>
    void OnRefused(ReadOnlySpan<byte> line)
    {
    }

    /// <summary>IRC: the server registered the client (001), which may now join its channel.</summary>
    void OnWelcome()
    {
    }

    /// <summary>IRC: the server's PING, whose <paramref name="token"/> the client must send back in a PONG or be dropped.</summary>
    void OnPing(ReadOnlySpan<byte> token)
    {
    }
}
