namespace CatChat.Chat;

/// <summary>Takes history lines without ever waiting; a background writer stores them later.</summary>
public interface IHistorySink
{
    void Add(HistoryEntry entry);

    /// <summary>
    /// Removes the line with this message id from the stored history, after every line added before this call (so a
    /// line still waiting to be stored is never stored); a line it cannot find is no error.
    /// </summary>
    void Redact(string messageId);
}
