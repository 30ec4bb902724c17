using CatChat.Chat;
using CatChat.Protocol;

namespace CatChat.Sessions;

/// <summary>Rooms by name and their topics: the same rules through every front door.</summary>
internal abstract partial class ChatSession
{
    /// <summary>The room of that name (in the chat's case rules) that this member is in, or null.</summary>
    protected Room? FindMyRoom(string name)
    {
        foreach (var room in Member.Rooms)
        {
            if (RoomName.Comparer.Equals(room.Name, name))
            {
                return room;
            }
        }

        return null;
    }

    /// <summary>
    /// Sets <paramref name="room"/>'s topic for this member, already cleaned and within <see cref="Room.MaxTopicLength"/>.
    /// A room with +t (IRC's MODE) takes a topic from its operators only, whichever front door they came through. The
    /// topic is stored before it is shown, as an administrator's is: while the database is away the old one stays.
    /// </summary>
    protected async Task<TopicChange> ChangeTopicAsync(Room room, string topic)
    {
        if (room.TopicLocked && !room.IsOperator(Member))
        {
            return TopicChange.NotOperator;
        }

        if (Store is not null)
        {
            try
            {
                await Store.SaveSettingAsync(room.TopicSettingKey, topic, new AuditEntry(Time.GetUtcNow(), Member.Nick, "topic", $"{room.Name}: {topic}"), StopToken)
                    .ConfigureAwait(false);
            }
            catch (StoreUnavailableException)
            {
                return TopicChange.StoreUnavailable;
            }
        }

        Chat.SetTopic(room.Name, topic, Member.Nick);
        return TopicChange.Set;
    }
}
