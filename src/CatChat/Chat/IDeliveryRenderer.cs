namespace CatChat.Chat;

/// <summary>
/// A member's connection that words deliveries its own way (IRC's lines, say). A connection that is not one gets the
/// plain-text line, on the broadcast's fast path.
/// </summary>
public interface IDeliveryRenderer
{
    /// <summary>
    /// The bytes that tell <paramref name="recipient"/> (this connection's member) what <paramref name="delivery"/>
    /// says; null when it has nothing to show them. Called from whoever broadcasts, on any thread.
    /// </summary>
    byte[]? Render(Delivery delivery, ChatMember recipient);
}
