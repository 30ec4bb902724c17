using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>What rooms there are across the cluster, as <c>/rooms</c>, IRC's LIST and the API show them.</summary>
public sealed partial class ChatRoom
{
    /// <summary>
    /// Every room with a member on any node (as far as this node knows while whole), the default one first, each with
    /// its members on every node and its topic.
    /// </summary>
    public IReadOnlyList<RoomListing> RoomDirectory
    {
        get
        {
            var remote = Backplane.State == BackplaneState.Whole ? Cluster.Rooms : [];
            var listings = new Dictionary<string, RoomListing>(RoomName.Comparer);
            lock (_gate)
            {
                foreach (var room in _rooms.Values)
                {
                    listings.Add(room.Name, new RoomListing(room.Name, room.Count, room.Topic, room.IsDefault));
                }

                foreach (var (name, members) in remote)
                {
                    listings[name] = listings.TryGetValue(name, out var local)
                        ? local with { Members = local.Members + members }
                        : new RoomListing(name, members, _topics.GetValueOrDefault(name) ?? string.Empty, RoomName.Comparer.Equals(name, RoomLimits.DefaultRoom));
                }
            }

            return [.. listings.Values.OrderByDescending(room => room.IsDefault).ThenBy(room => room.Name, RoomName.Comparer)];
        }
    }

    /// <summary>
    /// The rooms <paramref name="viewer"/> may see listed: <see cref="RoomDirectory"/> without the secret ones (+s) it is
    /// not in. Null: someone who is in no room (the HTTP side's public list).
    /// </summary>
    public IReadOnlyList<RoomListing> RoomDirectoryFor(ChatMember? viewer) => [.. RoomDirectory.Where(room => !IsHiddenFrom(room.Name, viewer))];

    /// <summary>
    /// True when <paramref name="roomName"/> is secret (+s, set by an IRC operator) and <paramref name="viewer"/> is not
    /// in it: then it is named to them by no door (lists, NAMES, WHO, WHOIS), as if nobody were in it. A room with
    /// nobody on this node is as secret as the cluster last set it.
    /// </summary>
    public bool IsHiddenFrom(string roomName, ChatMember? viewer)
    {
        var here = FindRoom(roomName);
        var secret = here is null
            ? SharedModesOf(roomName)?.Flags.Contains('s', StringComparison.Ordinal) == true
            : here.Secret;
        return secret && (viewer is null || here is null || !viewer.Rooms.Contains(here));
    }

    /// <summary>A room's listing as <see cref="RoomDirectory"/> gives it; null when nobody is in it anywhere.</summary>
    public RoomListing? ListingOf(string roomName) => RoomDirectory.FirstOrDefault(room => RoomName.Comparer.Equals(room.Name, roomName));

    /// <summary>The nicknames in a room on every node (as far as this node knows while whole), in order.</summary>
    public IReadOnlyList<string> NicksIn(string roomName)
    {
        var local = FindRoom(roomName)?.Members.Snapshot().Select(member => member.Nick) ?? [];
        var remote = Backplane.State == BackplaneState.Whole ? Cluster.MembersIn(roomName).Select(member => member.Nick) : [];
        return [.. local.Concat(remote).Order(StringComparer.OrdinalIgnoreCase)];
    }

    // A room made here that has members elsewhere takes the name as the cluster first spelled it.
    private string KnownSpelling(string name) =>
        Backplane.IsClustered ? Cluster.SpellingOf(name) ?? name : name;
}
