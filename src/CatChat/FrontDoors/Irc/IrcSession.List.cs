using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>LIST, with the filters ISUPPORT ELIST=CMNTU names.</summary>
internal sealed partial class IrcSession
{
    private void OnList(IrcMessage message)
    {
        var filter = ListFilter.Parse(message.Count > 0 ? message[0] : null, Glob);
        var now = Time.GetUtcNow();
        SendNumeric(IrcNumerics.ListStart, "Channel", "Users  Name");
        foreach (var listing in Chat.RoomDirectoryFor(Member))
        {
            if (filter.Matches(listing, Chat.FindRoom(listing.Name), now))
            {
                SendNumeric(IrcNumerics.List, listing.Name, listing.Members.ToString(CultureInfo.InvariantCulture), listing.Topic);
            }
        }

        SendNumeric(IrcNumerics.ListEnd, "End of /LIST");
    }

    /// <summary>
    /// LIST's argument (ISUPPORT ELIST=CMNTU): room names and masks (<c>#c*</c>), masks to leave out (<c>!*test*</c>),
    /// member counts (<c>&gt;N</c>, <c>&lt;N</c>), and ages in minutes of the room (<c>C&lt;N</c>: made less than N
    /// minutes ago, <c>C&gt;N</c>: more) and of its topic (<c>T&lt;N</c>, <c>T&gt;N</c>), comma-separated; a room is
    /// listed when it meets all of them. An age is known only for a room with a member on this node, and a topic's only
    /// when it has one: a room whose age a filter asks for and is not known is left out.
    /// </summary>
    private sealed class ListFilter
    {
        private readonly List<Func<string, bool>> _wanted = [];
        private readonly List<Func<string, bool>> _unwanted = [];
        private readonly Bounds _members = new();
        private readonly Bounds _roomAge = new();
        private readonly Bounds _topicAge = new();

        public static ListFilter Parse(string? argument, Func<string, Func<string, bool>> glob)
        {
            var filter = new ListFilter();
            foreach (var term in (argument ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (term.Length > 2 && term[0] is 'C' or 'c' or 'T' or 't' && term[1] is '>' or '<'
                    && int.TryParse(term.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes))
                {
                    (term[0] is 'C' or 'c' ? filter._roomAge : filter._topicAge).Add(term[1], minutes);
                }
                else if (term[0] is '>' or '<' && int.TryParse(term.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    filter._members.Add(term[0], count);
                }
                else if (term[0] == '!' && term.Length > 1)
                {
                    filter._unwanted.Add(glob(term[1..]));
                }
                else if (term.Contains('*', StringComparison.Ordinal) || term.Contains('?', StringComparison.Ordinal))
                {
                    filter._wanted.Add(glob(term));
                }
                else if (term[0] == RoomName.Prefix)
                {
                    filter._wanted.Add(name => RoomName.Comparer.Equals(name, term));
                }
            }

            return filter;
        }

        public bool Matches(RoomListing listing, Room? here, DateTimeOffset now) =>
            _members.Matches(listing.Members)
            && (_wanted.Count == 0 || _wanted.Exists(wanted => wanted(listing.Name)))
            && !_unwanted.Exists(unwanted => unwanted(listing.Name))
            && _roomAge.Matches(here is null ? null : (now - here.CreatedAt).TotalMinutes)
            && _topicAge.Matches(here is { Topic.Length: > 0 } ? (now - here.TopicSetAt).TotalMinutes : null);
    }

    /// <summary>More than one bound and less than another, as ELIST's filters give them (<c>&gt;N</c>, <c>&lt;N</c>).</summary>
    private sealed class Bounds
    {
        private int _moreThan = -1;
        private int _lessThan = int.MaxValue;

        public bool IsSet => _moreThan >= 0 || _lessThan < int.MaxValue;

        public void Add(char comparison, int minutes)
        {
            if (comparison == '>')
            {
                _moreThan = Math.Max(_moreThan, minutes);
            }
            else
            {
                _lessThan = Math.Min(_lessThan, minutes);
            }
        }

        // A value that is not known (the age of a room with nobody here) meets no bound.
        public bool Matches(double? value) => !IsSet || (value is { } known && known > _moreThan && known < _lessThan);
    }
}
