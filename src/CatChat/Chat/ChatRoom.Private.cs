using CatChat.Protocol;
using CatChat.Protocol.Irc;

namespace CatChat.Chat;

/// <summary>Private messages and IRC's tags-only messages between members, on this node or another.</summary>
public sealed partial class ChatRoom
{
    /// <summary>
    /// Sends a private message to <paramref name="targetNick"/> on this node or another; returns the
    /// recipient's nickname, or an error for the sender.
    /// </summary>
    public (string? Recipient, string? Error) SendPrivate(ChatMember sender, string targetNick, string text, bool notice = false, string? clientTags = null)
    {
        var target = Find(targetNick);
        if (target is not null)
        {
            var id = MessageIds.Next();
            target.Deliver(PrivateDelivery(sender.Identity, target.Nick, text, notice, clientTags, id));
            sender.Deliver(PrivateSentDelivery(sender.Identity, target.Nick, text, notice, clientTags, id));
            return (target.Nick, null);
        }

        var remote = Backplane.IsClustered ? Cluster.Find(targetNick) : null;
        if (remote is null)
        {
            return (null, $"No such nickname: {targetNick}.");
        }

        if (Backplane.State != BackplaneState.Whole)
        {
            return (null, $"{remote.Nick} is on another server, which cannot be reached right now.");
        }

        var sentId = MessageIds.Next();
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.Private) { Nick = sender.Nick, To = remote.Nick, Target = remote.NodeId, Text = text, MessageId = sentId });
        sender.Deliver(PrivateSentDelivery(sender.Identity, remote.Nick, text, notice, clientTags, sentId));
        return (remote.Nick, null);
    }

    /// <summary>Stores a private message in the history (when so configured); it never enters the replay others see.</summary>
    public void RecordPrivate(ChatMember sender, string recipient, string text) =>
        _history?.Add(new HistoryEntry(_time.GetUtcNow(), HistoryKind.Private, sender.Nick, $"-> {recipient}: {IrcFormatting.Strip(text)}"));

    private Delivery PrivateDelivery(Identity from, string to, string text, bool notice = false, string? clientTags = null, string? id = null) =>
        PrivateDelivery(DeliveryKind.Private, from, to, text, notice, clientTags, id ?? MessageIds.Next());

    private Delivery PrivateSentDelivery(Identity from, string to, string text, bool notice, string? clientTags, string id) =>
        PrivateDelivery(DeliveryKind.PrivateSent, from, to, text, notice, clientTags, id);

    // The recipient's copy (Private) and the sender's (PrivateSent) differ only in the plain line: "from" or "to".
    private Delivery PrivateDelivery(DeliveryKind kind, Identity from, string to, string text, bool notice, string? clientTags, string id)
    {
        // A private CTCP ACTION reads as an action, as /me does in a room, marked private as every such line is.
        var plain = IrcFormatting.ActionOf(text) is { } action ? ChatLine.Action(from.Nick, IrcFormatting.Strip(action)) : IrcFormatting.Strip(text);
        return new(kind, kind == DeliveryKind.Private ? ChatLine.PrivateFrom(from.Nick, plain) : ChatLine.PrivateTo(to, plain))
        {
            Nick = from.Nick,
            From = from,
            Target = to,
            Text = text,
            IsNotice = notice,
            ClientTags = clientTags,
            MessageId = id,
            At = _time.GetUtcNow(),
        };
    }

    /// <summary>A TAGMSG's delivery: to one nick (<paramref name="target"/>) or to a room.</summary>
    private Delivery TagDelivery(ChatMember sender, string clientTags, string? target = null, Room? room = null) =>
        new(DeliveryKind.TagMessage, string.Empty)
        {
            Nick = sender.Nick,
            From = sender.Identity,
            Target = target,
            Room = room,
            RoomName = room?.Name,
            ClientTags = clientTags,
            At = _time.GetUtcNow(),
        };

    /// <summary>Tags alone (IRC's TAGMSG) to a member of this node; null when there is no such member here.</summary>
    public Delivery? TagTo(ChatMember sender, string targetNick, string clientTags)
    {
        if (Find(targetNick) is not { } target)
        {
            return null;
        }

        var delivery = TagDelivery(sender, clientTags, target: target.Nick);
        target.Deliver(delivery);
        return delivery;
    }
}
