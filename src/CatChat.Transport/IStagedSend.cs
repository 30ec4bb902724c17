namespace CatChat.Transport;

/// <summary>A writer whose next send may be made by a <see cref="SendBatch"/>.</summary>
internal interface IStagedSend
{
    /// <summary>Stages the bytes gathered so far in <paramref name="batch"/>; false when there is nothing to stage.</summary>
    bool TryStageSend(SendBatch batch);

    /// <summary>The staged send was made: bytes sent, or a negative errno.</summary>
    void OnStagedSendCompleted(int result);
}
