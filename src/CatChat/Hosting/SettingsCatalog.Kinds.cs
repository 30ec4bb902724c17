using System.Globalization;
using System.Net;

namespace CatChat.Hosting;

/// <summary>The kinds of setting the catalog is made of: each parses its text and refuses what is out of range in one line.</summary>
public static partial class SettingsCatalog
{
    private static Setting Text(string name, string key, string description, Func<CatChatSettings, string> show, Action<CatChatSettings, string> apply) =>
        new(name, key, description, show, apply);

    private static Setting Int(string name, string key, string description, int min, int max, Func<CatChatSettings, int> show, Action<CatChatSettings, int> apply) =>
        new(name, key, description, o => show(o).ToString(CultureInfo.InvariantCulture), (o, v) =>
        {
            if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                throw new FormatException($"is not a whole number from {min} to {max}");
            }

            apply(o, n);
        });

    private static Setting Number(string name, string key, string description, double min, double max, Func<CatChatSettings, double> show, Action<CatChatSettings, double> apply) =>
        new(name, key, description, o => show(o).ToString(CultureInfo.InvariantCulture), (o, v) =>
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n >= min && n <= max))
            {
                throw new FormatException($"is not a number from {min} to {max}");
            }

            apply(o, n);
        });

    private static Setting Seconds(string name, string key, string description, double min, Func<CatChatSettings, TimeSpan> show, Action<CatChatSettings, TimeSpan> apply) =>
        new(name, key, description, o => show(o).TotalSeconds.ToString(CultureInfo.InvariantCulture), (o, v) =>
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n >= min && n <= 31_536_000))
            {
                throw new FormatException($"is not a number of seconds from {min} to 31536000");
            }

            apply(o, TimeSpan.FromSeconds(n));
        });

    private static Setting Days(string name, string key, string description, Func<CatChatSettings, TimeSpan> show, Action<CatChatSettings, TimeSpan> apply) =>
        new(name, key, description, o => show(o).TotalDays.ToString(CultureInfo.InvariantCulture), (o, v) =>
        {
            if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n >= 0 && n <= 36500))
            {
                throw new FormatException("is not a number of days from 0 to 36500");
            }

            apply(o, TimeSpan.FromDays(n));
        });

    private static Setting Bool(string name, string key, string description, Func<CatChatSettings, bool> show, Action<CatChatSettings, bool> apply) =>
        new(name, key, description, o => show(o) ? "true" : "false", (o, v) =>
        {
            if (!bool.TryParse(v, out var b))
            {
                throw new FormatException("is not true or false");
            }

            apply(o, b);
        });

    private static Setting Address(string name, string key, string description, Func<CatChatSettings, string> show, Action<CatChatSettings, string> apply) =>
        new(name, key, description, show, (o, v) =>
        {
            if (v != "*" && !IPAddress.TryParse(v, out _))
            {
                throw new FormatException("is not an IP address or *");
            }

            apply(o, v);
        });
}
