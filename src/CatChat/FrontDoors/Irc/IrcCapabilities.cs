namespace CatChat.FrontDoors.Irc;

/// <summary>The IRCv3 capabilities CatChat offers; a client turns on those it wants with CAP REQ.</summary>
[Flags]
internal enum IrcCapabilities
{
    None = 0,
    ServerTime = 1,
    EchoMessage = 2,
    MessageTags = 4,
    MultiPrefix = 8,
    AwayNotify = 16,
    UserhostInNames = 32,
    CapNotify = 64,
    ExtendedMonitor = 128,
    SetName = 256,
    Batch = 512,
    LabeledResponse = 1024,
    Multiline = 2048,
    MessageRedaction = 4096,
    ChatHistory = 8192,
}

/// <summary>The capabilities' names on the wire.</summary>
internal static class IrcCapabilityNames
{
    public static readonly (string Name, IrcCapabilities Flag)[] All =
    [
        ("away-notify", IrcCapabilities.AwayNotify),
        ("batch", IrcCapabilities.Batch),
        ("draft/multiline", IrcCapabilities.Multiline),
        ("draft/message-redaction", IrcCapabilities.MessageRedaction),
        ("draft/chathistory", IrcCapabilities.ChatHistory),
        ("cap-notify", IrcCapabilities.CapNotify),
        ("echo-message", IrcCapabilities.EchoMessage),
        ("extended-monitor", IrcCapabilities.ExtendedMonitor),
        ("labeled-response", IrcCapabilities.LabeledResponse),
        ("message-tags", IrcCapabilities.MessageTags),
        ("multi-prefix", IrcCapabilities.MultiPrefix),
        ("server-time", IrcCapabilities.ServerTime),
        ("setname", IrcCapabilities.SetName),
        ("userhost-in-names", IrcCapabilities.UserhostInNames),
    ];

    public static IrcCapabilities? Find(string name)
    {
        foreach (var (known, flag) in All)
        {
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase))
            {
                return flag;
            }
        }

        return null;
    }
}
