using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>LIST, with the filters ISUPPORT ELIST=MNU names.</summary>
internal sealed partial class IrcSession
{
    private void OnList(IrcMessage message)
    {
        var filter = ListFilter.Parse(message.Count > 0 ? message[0] : null, Glob);
        SendNumeric(IrcNumerics.ListStart, "Channel", "Users  Name");
        foreach (var listing in Chat.RoomDirectory)
        {
            var secret = Chat.FindRoom(listing.Name) is { Secret: true } here && FindMyRoom(here.Name) is null;
            if (!secret && filter.Matches(listing))
            {
                SendNumeric(IrcNumerics.List, listing.Name, listing.Members.ToString(CultureInfo.InvariantCulture), listing.Topic);
            }
        }

        SendNumeric(IrcNumerics.ListEnd, "End of /LIST");
    }

    /// <summary>
    /// LIST's argument (ISUPPORT ELIST=MNU): room names and masks (<c>#c*</c>), masks to leave out (<c>!*test*</c>) and
    /// member counts (<c>&gt;N</c>, <c>&lt;N</c>), comma-separated; a room is listed when it meets all of them.
    /// </summary>
    private sealed class ListFilter
    {
        private readonly List<Func<string, bool>> _wanted = [];
        private readonly List<Func<string, bool>> _unwanted = [];
        private int _moreThan = -1;
        private int _fewerThan = int.MaxValue;

        public static ListFilter Parse(string? argument, Func<string, Func<string, bool>> glob)
        {
            var filter = new ListFilter();
            foreach (var term in (argument ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (term[0] is '>' or '<' && int.TryParse(term.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    if (term[0] == '>')
                    {
                        filter._moreThan = Math.Max(filter._moreThan, count);
                    }
                    else
                    {
                        filter._fewerThan = Math.Min(filter._fewerThan, count);
                    }
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

        public bool Matches(RoomListing listing) =>
            listing.Members > _moreThan && listing.Members < _fewerThan
            && (_wanted.Count == 0 || _wanted.Exists(wanted => wanted(listing.Name)))
            && !_unwanted.Exists(unwanted => unwanted(listing.Name));
    }
}
