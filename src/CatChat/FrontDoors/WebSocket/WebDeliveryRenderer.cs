using CatChat.Chat;

namespace CatChat.FrontDoors.WebSocket;

/// <summary>
/// How every browser is told of a delivery: one JSON frame per broadcast, shared by all of them. One object for the
/// whole front door, not the session: a broadcast then reads nothing of the recipient's session on its way to the
/// outbox (a cold object at every recipient of a thousand).
/// </summary>
internal sealed class WebDeliveryRenderer : IDeliveryRenderer
{
    public static readonly WebDeliveryRenderer Instance = new();

    private static readonly int JsonSlot = RenderSlot.Claim();

    private WebDeliveryRenderer()
    {
    }

    public byte[]? Render(Delivery delivery, ChatMember recipient) =>
        !WebJson.IsForBrowsers(delivery.Kind) ? null : delivery.RenderOnce(JsonSlot, static d => WebJson.ForDelivery(d)!);
}
