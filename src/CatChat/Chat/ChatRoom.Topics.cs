using CatChat.Protocol;

namespace CatChat.Chat;

/// <summary>Room topics, which outlive their rooms, and announcements to one room, on every node.</summary>
public sealed partial class ChatRoom
{
    /// <summary>
    /// Sets a room's topic (the room may have members on other nodes only) and tells its members, on every node, who
    /// set it (a nickname, or an administrator's name).
    /// </summary>
    public void SetTopic(string roomName, string topic, string by)
    {
        ApplyTopic(roomName, topic, by);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.Topic) { Room = roomName, Text = topic, By = by });
    }

    // Every node remembers every room's topic, so /rooms shows it where the room has nobody.
    private void ApplyTopic(string roomName, string topic, string by)
    {
        Room? room;
        lock (_gate)
        {
            RememberTopicLocked(roomName, topic);
            if (_rooms.TryGetValue(roomName, out room))
            {
                room.Topic = topic;
                room.TopicSetBy = by;
                room.TopicSetAt = _time.GetUtcNow();
            }
        }

        if (room is not null)
        {
            BroadcastTo(room, new Delivery(DeliveryKind.Topic, ChatLine.Notice($"{by} set the topic of {room.Name}: {topic}"))
            {
                Nick = by,
                From = ActorIdentity(by),
                Room = room,
                RoomName = room.Name,
                Text = topic,
            });
        }

        Publish(ChatEventKind.Topic, text: topic, by: by, room: room?.Name ?? roomName);
    }

    /// <summary>An announcement from an administrator to one room's members, on every node.</summary>
    public void AnnounceToRoom(string roomName, string text, string by)
    {
        if (FindRoom(roomName) is { } room)
        {
            BroadcastTo(room, AnnouncementDelivery(text, room));
        }

        Publish(ChatEventKind.Announce, text: text, by: by, room: roomName);
        Backplane.Publish(new ClusterMessage(ClusterMessageKind.RoomAnnounce) { Text = text, By = by, Room = roomName });
    }

    /// <summary>Puts back a topic stored before a restart; nobody is told.</summary>
    public void RestoreTopic(string roomName, string topic)
    {
        lock (_gate)
        {
            RememberTopicLocked(roomName, topic);
            if (_rooms.TryGetValue(roomName, out var room))
            {
                room.Topic = topic;
            }
        }
    }

    private void RememberTopicLocked(string roomName, string topic)
    {
        if (_topics.Count < MaxRememberedTopics || _topics.ContainsKey(roomName))
        {
            _topics[roomName] = topic;
        }
    }
}
