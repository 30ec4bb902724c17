namespace CatChat.Chat;

/// <summary>A flush that a fan-out asked for, started once the fan-out has queued all its lines.</summary>
public interface IDeferredFlush
{
    void Start();
}
