using System.Globalization;
using CatChat.Chat;
using CatChat.Protocol.Irc;

namespace CatChat.FrontDoors.Irc;

/// <summary>
/// LINKS: the servers of this IRC network, which are the nodes of CatChat's cluster (the names WHOIS shows for users on
/// them), this one first; each other node is one hop away, as every node hears every other through Redis.
/// </summary>
internal sealed partial class IrcSession
{
    private void OnLinks(IrcMessage message)
    {
        // LINKS [[remote] mask]: every node knows the whole cluster, so a remote server's answer would be this one's.
        var mask = message.Count switch
        {
            0 => null,
            1 => message[0],
            _ => message[1],
        };

        if (mask is null || IrcMask.Matches(mask, ServerName))
        {
            SendNumeric(IrcNumerics.Links, ServerName, ServerName, "0 " + _irc.ServerDescription);
        }

        if (Chat.Backplane.State == BackplaneState.Whole)
        {
            foreach (var node in Chat.Cluster.Nodes.OrderBy(node => node.Name, StringComparer.Ordinal))
            {
                if (mask is null || IrcMask.Matches(mask, node.Name))
                {
                    SendNumeric(IrcNumerics.Links, node.Name, ServerName, string.Create(CultureInfo.InvariantCulture, $"1 CatChat node ({node.Users} online)"));
                }
            }
        }

        SendNumeric(IrcNumerics.EndOfLinks, mask ?? "*", "End of /LINKS list");
    }
}
