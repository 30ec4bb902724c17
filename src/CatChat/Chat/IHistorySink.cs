namespace CatChat.Chat;

/// <summary>Takes history lines without ever waiting; a background writer stores them later.</summary>
public interface IHistorySink
{
    void Add(HistoryEntry entry);
}
