namespace CatChat.Hosting;

/// <summary>
/// One documented setting: its command-line switch (<c>--name</c>), its configuration key
/// (<c>CatChat:Key</c>, so also <c>CatChat__Key</c> in the environment), how to parse it, and its default.
/// A <paramref name="Secret"/> setting's value is never repeated in an error.
/// </summary>
public sealed record Setting(string Name, string Key, string Description, Func<CatChatSettings, string> Show, Action<CatChatSettings, string> Apply, bool Secret = false)
{
    public const string Section = "CatChat";

    public string Switch => "--" + Name;

    public string ConfigurationKey => Section + ":" + Key;
}

/// <summary>A setting whose value could not be used; the message names the setting and says why.</summary>
public sealed class SettingException(string message) : Exception(message);
