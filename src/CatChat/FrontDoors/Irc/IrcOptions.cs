namespace CatChat.FrontDoors.Irc;

/// <summary>The IRC front door's settings: its ports, the name it gives itself, and how it keeps clients alive. Read at start.</summary>
public sealed class IrcOptions
{
    /// <summary>Plain IRC; 0 turns it off.</summary>
    public int Port { get; set; } = 6667;

    /// <summary>IRC over TLS, served when the chat has a certificate; 0 turns it off.</summary>
    public int TlsPort { get; set; } = 6697;

    /// <summary>IRC over WebSocket on the HTTP side (IRCv3's WebSocket transport), for IRC clients in web pages.</summary>
    public bool WebSocket { get; set; } = true;

    /// <summary>The server's name in IRC (the source of its numerics and notices).</summary>
    public string ServerName { get; set; } = "catchat";

    /// <summary>A line about this server, beside its name in WHOIS and LINKS.</summary>
    public string ServerDescription { get; set; } = "CatChat chat server";

    /// <summary>The network's name in ISUPPORT.</summary>
    public string NetworkName { get; set; } = "CatChat";

    /// <summary>A client silent this long is sent a PING; silent as long again, it is dropped.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>A connection that has not registered (NICK and USER) within this long is dropped.</summary>
    public TimeSpan RegistrationTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Who may become an IRC operator with OPER (KILL, WALLOPS); nobody by default.</summary>
    public IrcOperatorLogins Operators { get; set; } = IrcOperatorLogins.None;
}
