using System.Collections.Frozen;

namespace B2BPortal.Web.Delivery.Email;

/// <summary>
/// The portal's invitation email in the eleven languages of the 2016 format. <c>{0}</c> is the inviting admin, <c>{1}</c>
/// the organization, <c>{2}</c> the guest's name or the application's name where the sentence takes one.
/// </summary>
public sealed record InvitationEmailTexts(
    string HtmlLang,
    string Subject,
    string GreetingNamed,
    string Greeting,
    string Intro,
    string App,
    string MessageFrom,
    string Accept,
    string LinkFallback,
    string Contact,
    string Ignore)
{
    private static readonly FrozenDictionary<string, InvitationEmailTexts> ByLanguage = new Dictionary<string, InvitationEmailTexts>(StringComparer.OrdinalIgnoreCase)
    {
        ["en"] = new("en", "{0} invited you to collaborate with {1}", "Hello {2},", "Hello,",
            "{0} has invited you to collaborate with {1}.", "You will get access to {2}.", "Message from {0}:",
            "Accept invitation", "If the button does not work, open this link:", "Questions? Contact us",
            "If you were not expecting this invitation, you can ignore this email."),
        ["de"] = new("de", "{0} hat Sie zur Zusammenarbeit mit {1} eingeladen", "Hallo {2},", "Hallo,",
            "{0} hat Sie eingeladen, mit {1} zusammenzuarbeiten.", "Sie erhalten Zugriff auf {2}.", "Nachricht von {0}:",
            "Einladung annehmen", "Falls die Schaltfläche nicht funktioniert, öffnen Sie diesen Link:", "Fragen? Kontaktieren Sie uns",
            "Wenn Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren."),
        ["es"] = new("es", "{0} le ha invitado a colaborar con {1}", "Hola, {2}:", "Hola:",
            "{0} le ha invitado a colaborar con {1}.", "Obtendrá acceso a {2}.", "Mensaje de {0}:",
            "Aceptar la invitación", "Si el botón no funciona, abra este vínculo:", "¿Preguntas? Póngase en contacto con nosotros",
            "Si no esperaba esta invitación, puede ignorar este correo electrónico."),
        ["fr"] = new("fr", "{0} vous invite à collaborer avec {1}", "Bonjour {2},", "Bonjour,",
            "{0} vous invite à collaborer avec {1}.", "Vous aurez accès à {2}.", "Message de {0} :",
            "Accepter l'invitation", "Si le bouton ne fonctionne pas, ouvrez ce lien :", "Des questions ? Contactez-nous",
            "Si vous n'attendiez pas cette invitation, vous pouvez ignorer cet e-mail."),
        ["it"] = new("it", "{0} ti invita a collaborare con {1}", "Salve {2},", "Salve,",
            "{0} ti ha invitato a collaborare con {1}.", "Avrai accesso a {2}.", "Messaggio di {0}:",
            "Accetta l'invito", "Se il pulsante non funziona, apri questo collegamento:", "Domande? Contattaci",
            "Se non aspettavi questo invito, puoi ignorare questa e-mail."),
        ["ja"] = new("ja", "{0} さんから {1} への招待が届いています", "{2} 様", "こんにちは",
            "{0} さんが {1} との共同作業にあなたを招待しました。", "{2} を利用できるようになります。", "{0} さんからのメッセージ:",
            "招待を承諾する", "ボタンが機能しない場合は、次のリンクを開いてください:", "ご不明な点はお問い合わせください",
            "この招待に心当たりがない場合は、このメールを無視してください。"),
        ["ko"] = new("ko", "{0}님이 {1}에 초대했습니다", "{2}님, 안녕하세요.", "안녕하세요.",
            "{0}님이 {1}과(와) 공동 작업하도록 초대했습니다.", "{2}에 액세스할 수 있게 됩니다.", "{0}님의 메시지:",
            "초대 수락", "단추가 작동하지 않으면 다음 링크를 여세요:", "궁금한 점이 있으면 문의하세요",
            "이 초대를 예상하지 못했다면 이 메일을 무시해도 됩니다."),
        ["pt-BR"] = new("pt-BR", "{0} convidou você para colaborar com {1}", "Olá, {2},", "Olá,",
            "{0} convidou você para colaborar com {1}.", "Você terá acesso a {2}.", "Mensagem de {0}:",
            "Aceitar convite", "Se o botão não funcionar, abra este link:", "Dúvidas? Fale conosco",
            "Se você não esperava este convite, pode ignorar este e-mail."),
        ["ru"] = new("ru", "Приглашение от пользователя {0} в организацию {1}", "Здравствуйте, {2}!", "Здравствуйте!",
            "Пользователь {0} приглашает вас к совместной работе в организации {1}.", "Вы получите доступ к приложению {2}.",
            "Сообщение от пользователя {0}:", "Принять приглашение", "Если кнопка не работает, откройте эту ссылку:",
            "Есть вопросы? Свяжитесь с нами", "Если вы не ожидали этого приглашения, просто проигнорируйте это письмо."),
        ["zh-HANS"] = new("zh-Hans", "{0} 邀请你与 {1} 协作", "{2}，你好：", "你好：",
            "{0} 邀请你与 {1} 协作。", "你将可以访问 {2}。", "来自 {0} 的消息：",
            "接受邀请", "如果按钮无效，请打开此链接：", "有疑问？请联系我们",
            "如果你没有预料到此邀请，可以忽略此电子邮件。"),
        ["zh-HANT"] = new("zh-Hant", "{0} 邀請您與 {1} 共同作業", "{2}，您好：", "您好：",
            "{0} 邀請您與 {1} 共同作業。", "您將可以存取 {2}。", "來自 {0} 的訊息：",
            "接受邀請", "如果按鈕無法使用，請開啟此連結：", "有任何問題嗎？請與我們聯絡",
            "如果您並未預期收到此邀請，可以忽略此電子郵件。"),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The 2016 language codes these texts exist for.</summary>
    public static IEnumerable<string> Languages => ByLanguage.Keys;

    /// <summary>The texts for a row's language (a 2016 code); English when it has none.</summary>
    public static InvitationEmailTexts For(string? language) =>
        !string.IsNullOrWhiteSpace(language) && ByLanguage.TryGetValue(language.Trim(), out var texts) ? texts : ByLanguage["en"];
}
