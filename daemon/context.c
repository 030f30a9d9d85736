/* context.c: what the words around a built-in name say it is instead of the place or person. */
#include <string.h>
#include <strings.h>

#include "context.h"
#include "fold.h"
#include "words.h"

/*
 * Is the place name at s[start, end), which is also a person's name (Jordan, Paris: GAZ_NAME_
 * PERSON), part of one here? It is when a capitalised word stands right after it (Jordan
 * Peterson, Georgia O'Keeffe), or a particle and a capitalised word (Chad le Clos), or a
 * capitalised word right before it (Michael Jordan's). Not: an acronym (UN, US), the words that
 * make a place of it (Jordan Valley, Israel Defense Forces, Northern Israel), a text in title
 * case. These word lists are English: the rule looks for capitals, which Arabic, Persian and
 * Hebrew do not write.
 */
static const char *const place_after[] = { "Valley", "River", "Sea", "Strait", "Border",
	"Defense", "Defence", "Army", "Police", "Government", "Ministry", "Embassy", "Airport",
	"Forces", "President", "Prime", "PM", "Parliament", "Cabinet", "Senate", "Foreign",
	"Interior", "National", "Central", "Supreme", "Coast", "State", "Airways", "Airlines",
	"Football",
	/* a date after it (talks in Washington Tuesday) */
	"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
	"February", "March", "April", "May", "June", "July", "August", "September", "October",
	"November", "December", NULL };

static const char *const place_before[] = { "North", "South", "East", "West", "Northern",
	"Southern", "Eastern", "Western", "Central", "Greater", "Upper", "Lower", "New", "Old",
	"Occupied", "Mainland", NULL };

static const char *const particles[] = { "le", "la", "de", "du", "da", "di", "del", "van", "von",
	"der", "bin", "ibn", "al", NULL };

/* Turkish locative and ablative endings: a place where or from which (Washington'da), not a man */
static const char *const turkish_where[] = { "da", "de", "ta", "te", "dan", "den", "tan", "ten",
	NULL };

/* a role or a title before it in small letters (former minister Lima, striker Jordan) */
static const char *const person_roles[] = { "minister", "senator", "governor", "judge",
	"mayor", "coach", "striker", "midfielder", "defender", "goalkeeper", "winger", "actor",
	"actress", "singer", "rapper", "author", "writer", "director", "Mr", "Mr.", "Mrs",
	"Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Sen.", "Rep.", "Gov.", "ministre", "juge", "maire",
	"chanteuse", "chanteur", "acteur", "actrice", NULL };

int
person_name_here(const char *s, size_t len, size_t start, size_t end, size_t *pb, size_t *pe)
{
	size_t	 b, e, k;

	if ((k = apostrophe_len(s, len, end)) > 0 &&
	    word_in(s, end + k, word_end_at(s, len, end + k), turkish_where))
		return 0;
	if (word_after(s, len, end, &b, &e)) {
		if (word_in(s, b, e, particles) && !word_after(s, len, e, &b, &e))
			b = e;
		if (b < e && capitalised(s, len, b, e) && !word_in(s, b, e, place_after) &&
		    !title_case(s, len)) {
			*pb = start;
			*pe = e;
			return 1;
		}
	}
	if (word_before(s, start, &b, &e) && ((capitalised(s, len, b, e) &&
	    !word_in(s, b, e, place_before) && !title_case(s, len)) ||
	    word_in(s, b, e, person_roles))) {
		*pb = b;
		*pe = end;
		return 1;
	}
	return 0;
}

/*
 * "X bin Y", "الخليل بن أحمد": a name followed by "son of" and another name is a person's
 * (al-Khalil ibn Ahmad, not Hebron). Hebrew בן is left out: it also gives an age (בן 30).
 */
static const char *const son_of[] = { "bin", "ibn", "\xd8\xa8\xd9\x86", /* بن */
	"\xd8\xa7\xd8\xa8\xd9\x86", /* ابن */ NULL };

int
son_of_word(const char *s, size_t b, size_t e)
{
	return word_in(s, b, e, son_of);
}

int
son_of_after(const char *s, size_t len, size_t start, size_t end, size_t *pb, size_t *pe)
{
	size_t	 b, e;

	if (!word_after(s, len, end, &b, &e) || !word_in(s, b, e, son_of) ||
	    !word_after(s, len, e, &b, &e))
		return 0;
	*pb = start;
	*pe = e;
	return 1;
}

/*
 * Before it, in Arabic, Persian and Hebrew, which write no capitals: a common given name
 * (after one proclitic: ومجتبی, ויאיר). Any other word may stand there for the person
 * (إدارة ترامب, دولت ترامپ, ממשל טראמפ: Trump's administration; قال ترامب: Trump said), so
 * only names do; names that are also everyday words there are left out: عمر (age), جيل
 * (generation), سيف (sword), جمال (beauty), نور (light), أمل and امید (hope), سلام (peace),
 * عادل (just), כרמל, שלום (peace), חיים (life), ברק (lightning), נתן (gave), אמיר and أمير
 * (emir), דוד (uncle), טל (dew), חן (grace), אור (light), גיל (age). Reviewed by hand; add
 * names as they come up, with both spellings where Arabic and Persian differ (ي ی, ى ی, ك ک).
 */
static const char *const given_names[] = {
	/* Arabic */
	"محمد", "أحمد", "احمد", "محمود", "مصطفى", "علي", "حسن", "حسين", "خالد", "ماهر", "حافظ",
	"باسل", "بشرى", "أسماء", "اسماء", "رفعت", "عثمان", "يوسف", "یوسف", "إبراهيم", "ابراهيم",
	"إسماعيل", "اسماعيل", "عبدالله", "عبدالرحمن", "عبدالعزيز", "سعد", "سعود", "فهد", "فيصل",
	"نايف", "منصور", "طلال", "حمد", "حمدان", "راشد", "هزاع", "طحنون", "صدام", "بلقاسم",
	"إيفانكا", "ايفانكا", "ميلانيا", "بارون", "إريك", "اريك", "هانتر", "بريجيت", "فاطمة",
	"عائشة", "مريم", "زينب", "سارة", "يائير", "مجتبى", "مسعود", "ياسر", "بلال", "أمينة", "سعيد",
	"امينة", "سمية", "إسراء", "جاريد", "تيفاني", "طارق", "وليد", "زياد", "هشام", "عماد",
	"نبيل", "ناصر", "إيمان", "ليلى", "رانيا", "هند", "سلمى", "أنس", "عمرو",
	/* Persian */
	"علی", "حسین", "رضا", "مهدی", "مجتبی", "مصطفی", "ابراهیم", "جواد", "حمید", "سعید",
	"زهرا", "فاطمه", "سارا", "ملانیا", "ایوانکا", "اریک", "یائیر", "اسما", "امینه", "صادق",
	"هادی", "میثم", "یاسر", "محسن", "مرتضی", "اکبر", "هاشم",
	/* Hebrew */
	"יאיר", "שרה", "אבנר", "עידו", "בנציון", "יונתן", "איוונקה", "מלניה", "בארון", "אריק",
	"הנטר", "ג'יל", "מוג'תבא", "מאהר", "חאפז", "אסמא", "בילאל", "אמינה", "משה", "יוסף",
	"אברהם", "יצחק", "יעקב", "שמעון", "אהרון", "מיכאל", "דניאל", "אליהו", "שלמה", "רחל",
	"רבקה", "לאה", "מרים", "אסתר", "נועה", "תמר", "מיכל", "יעל", "אבי", "ליאור", "עומר",
	"איתי", "ג'ארד", "טיפאני", "אריאל", NULL };

/* Is s[b, e) one of given_names[], or one after a proclitic letter? */
int
given_name(const char *s, size_t len, size_t b, size_t e)
{
	int32_t	 cp;
	size_t	 k;

	if (word_in(s, b, e, given_names))
		return 1;
	k = utf8_char((const unsigned char *)s + b, len - b, &cp);
	return (clitic_letter(cp) || hebrew_clitic_letter(cp) || cp == 0x05D4) && b + k < e &&
	    word_in(s, b + k, e, given_names);
}

/*
 * Is the built-in place at s[start, end) a person's name here, in a script without capitals
 * (Arabic, Persian, Hebrew): right after an honorific that goes before a person's name (Persian
 * استاد شهریار, master Shahriar the poet; Hebrew השף ישראל אהרוני, chef Israel Aharoni) or a
 * given name that the place's name is the surname of (ישעיהו ברלין, Isaiah Berlin; פרנסואה
 * הולנד, François Hollande, where הולנד is the Netherlands)? The words are reviewed by hand: each
 * is a title or a name and nothing else, so that no everyday word before a place is taken for
 * one (titles of office are not here: the president of Iran is Iran's). A prefix letter may be
 * joined to the word (והשף). Demonyms are left alone: a name that ends as a demonym does, in a
 * yeh (ایرانی, سوري, ישראלי) or a yeh and an ending (سورية, ישראלית, ترکیه), is not dropped
 * (استاد ایرانی is an Iranian master), unless it has the article after a given name, as an
 * Arabic surname does (سعيد المصري, Said al-Masri). Not covered: a place's name that is itself
 * the given name (ایران درودی, the painter Iran Darroudi: a not = phrase).
 */
static const char *const place_person_before[] = {
	/* Arabic: the poet, the artist, the singer, the doctor, the writer; François */
	"الشاعر", "الشاعرة", "الفنان", "الفنانة", "المطرب", "المطربة", "الأديب", "الروائي",
	"الروائية", "فرانسوا", "يوسف",
	/* Persian: master, doctor, mister; François, Yusuf */
	"استاد", "دکتر", "آقای", "فرانسوا", "یوسف",
	/* Hebrew: the chef, the rabbi, the singer, the writer, the poet, the actor, the painter,
	 * the philosopher, professor; Isaiah, François, George, Moses, Joseph, Abraham, Isaac, Jacob,
	 * Solomon, Michael, Daniel, Elijah, Rachel, Sarah */
	"השף", "הרב", "הזמר", "הזמרת", "הסופר", "הסופרת", "המשורר", "המשוררת", "השחקן",
	"השחקנית", "הצייר", "הציירת", "הפילוסוף", "פרופסור", "פרופ'", "ישעיהו", "פרנסואה",
	"ג'ורג'", "משה", "יוסף", "אברהם", "יצחק", "יעקב", "שלמה", "מיכאל", "דניאל", "אליהו",
	"רחל", "שרה", NULL };

/*
 * Turkish given names: a place right after one is the person's surname (Sezen Aksu, Ahmet
 * Ordu), as Turkish surnames are often towns. Capitalised, as written; reviewed by hand.
 */
static const char *const given_names_latin[] = { "Ahmet", "Mehmet", "Mustafa", "Hüseyin",
	"Hasan", "İbrahim", "İsmail", "Osman", "Yusuf", "Murat", "Kemal", "Orhan", "Hakan", "Burak",
	"Emre", "Cem", "Serkan", "Volkan", "Oğuz", "Ozan", "Arda", "Barış", "Tarkan", "Kenan",
	"Selim", "Ömer", "Halil", "Recep", "Erkan", "Gökhan", "Sezen", "Ajda", "Sertab", "Ayşe",
	"Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Selin", "Esra", "Gülşen", "Sibel",
	"Nilüfer", "Bülent", "Levent", "Tuncay", "Nihat", "Hande", "Ebru", NULL };

/*
 * Russian given names, as written before a surname in the nominative and the genitive (Сергей
 * Королёв, конструктора Сергея Королёва; Дензел Вашингтон): many Russian towns bear a
 * person's surname (Korolyov, Pushkin, Kirov), and foreign surnames are towns too.
 */
static const char *const given_names_cyrillic[] = { "Александр", "Александра", "Сергей",
	"Сергея", "Владимир", "Владимира", "Дмитрий", "Дмитрия", "Андрей", "Андрея", "Алексей",
	"Алексея", "Михаил", "Михаила", "Николай", "Николая", "Иван", "Ивана", "Евгений",
	"Евгения", "Юрий", "Юрия", "Борис", "Бориса", "Пётр", "Петр", "Петра", "Павел", "Павла",
	"Фёдор", "Федор", "Фёдора", "Федора", "Лев", "Льва", "Антон", "Антона", "Максим",
	"Максима", "Олег", "Олега", "Виктор", "Виктора", "Константин", "Константина", "Григорий",
	"Григория", "Анна", "Анны", "Мария", "Марии", "Елена", "Елены", "Ольга", "Ольги",
	"Татьяна", "Татьяны", "Наталья", "Натальи", "Ирина", "Ирины", "Екатерина", "Екатерины",
	"Джордж", "Джорджа", "Джон", "Джона", "Майкл", "Майкла", "Дензел", "Дензела", "Том",
	"Тома", NULL };

int
person_before_place(const char *s, size_t len, size_t start, size_t end)
{
	size_t	 b, e;

	if (latin_at(s, start))
		return word_before(s, start, &b, &e) && word_in(s, b, e, given_names_latin);
	if (((unsigned char)s[start] == 0xD0 || (unsigned char)s[start] == 0xD1) &&
	    word_before(s, start, &b, &e) && word_in(s, b, e, given_names_cyrillic))
		return 1;
	/* an Arabic demonym with the article after a given name is a surname (سعيد المصري) */
	if (arabic_at(s, len, start) && demonym_ending(s, start, end) && end - start > 4 &&
	    memcmp(s + start, "\xd8\xa7\xd9\x84", 4) == 0 && word_before(s, start, &b, &e) &&
	    given_name(s, len, b, e))
		return 1;
	return (arabic_at(s, len, start) || hebrew_at(s, len, start)) &&
	    !demonym_ending(s, start, end) && word_before(s, start, &b, &e) &&
	    (word_in_clitic(s, len, b, e, place_person_before) || given_name(s, len, b, e));
}

/*
 * Is the built-in place at s[start, end) a sports club's name here: after a club's first word
 * (Inter Milan, Real Madrid) or before its last (Manchester United, Adana Demirspor), or a
 * ranked team (No. 4 Miami, #12 Georgia: American college sports rank teams so)? Such news is
 * about the club, not the place. The word lists are the clubs' own, in their languages.
 */
static const char *const club_before[] = { "Inter", "AC", "Real", "Atletico", "Atlético",
	"Bayern", "Bayer", "Borussia", "Olympique", "Dynamo", "Dinamo", "Sporting", "OGC",
	/* Persian clubs named before their city: Tractor of Tabriz, Malavan of Anzali */
	"تراکتور", "ملوان", "سپاهان", "پرسپولیس", "ذوب", NULL };

/* and in two words: ذوب‌آهن (Zob Ahan, "iron smelting") of Isfahan, a ZWNJ or space between */
static const char *const ahan[] = { "آهن", NULL };

static const char zob_zwnj[] = "ذوب\xe2\x80\x8c", zob_space[] = "ذوب ";

static const char *const club_after[] = { "United", "FC", "CF", "SC", "AC", "AFC", "FK", "SK",
	"Wanderers", "Rovers", "Hotspur", "Albion", NULL };

static int
ranked_team(const char *s, size_t start)
{
	size_t	 d;

	if (start < 2 || s[start - 1] != ' ')
		return 0;
	for (d = start - 1; d > 0 && s[d - 1] >= '0' && s[d - 1] <= '9'; d--)
		;
	if (d == start - 1 || start - 1 - d > 2)	/* a rank of one or two digits */
		return 0;
	return (d > 0 && s[d - 1] == '#') || (d >= 4 && memcmp(s + d - 4, "No. ", 4) == 0);
}

int
club_here(const char *s, size_t len, size_t start, size_t end)
{
	size_t	 b, e;

	if (ranked_team(s, start))
		return 1;

	/* Turkish clubs: Demirspor, Belediyespor, Spor */
	if (word_after(s, len, end, &b, &e) && (word_in(s, b, e, club_after) ||
	    (e - b >= 4 && fold_case_at(s, len, b) == 1 && strncasecmp(s + e - 4, "spor", 4) == 0)))
		return 1;
	if (!word_before(s, start, &b, &e))
		return 0;
	if (word_in(s, b, e, club_before))
		return 1;
	return word_in(s, b, e, ahan) &&
	    ((b >= sizeof(zob_zwnj) - 1 &&
	    memcmp(s + b - (sizeof(zob_zwnj) - 1), zob_zwnj, sizeof(zob_zwnj) - 1) == 0) ||
	    (b >= sizeof(zob_space) - 1 &&
	    memcmp(s + b - (sizeof(zob_space) - 1), zob_space, sizeof(zob_space) - 1) == 0));
}

/*
 * Is the built-in city at s[start, end) a club by what it does right after: it clinches a title,
 * beats a rival, signs a contract (Napoli clinch fourth Serie A title; Liverpool ile
 * sözleşmesini uzattı)? A city does none of these. In Arabic a city is feminine and its club
 * masculine (النادي), so only the masculine verb says club: العين يتوج بلقب الدوري, Al Ain
 * is crowned champion, where the city would be تتوج; الرياض تفوز بتنظيم إكسبو stays
 * Riyadh. Russian clubs beat (Краснодар обыграл); a city beats nobody. Countries are left out:
 * their national teams are the country's news.
 */
static const char *const team_verbs_after[] = { "clinch", "clinches", "clinched", "beat",
	"beats", "thrash", "thrashes", "thrashed", "rout", "routs", "routed", "s'impose", "bat",
	"écrase", "domine", "renverse",
	/* British clubs' plural verbs: a city signs, a club sign */
	"sign", "draw", "stun", "hammer",
	"يتوج", "يفوز", "يتأهل", "يهزم", "يتعادل", "يخسر", "يقلب", "يتغلب", "يكتسح",
	"يسحق", "يضم", "يتعاقد", "обыграл", "разгромил", NULL };

/* Is s[i..] a match's score, one or two digits a side (2-1, 1–0), and no more digits? */
static int
score_at(const char *s, size_t len, size_t i)
{
	size_t	 k, d;

	for (k = 0; k < 2; k++) {
		for (d = 0; i < len && d < 3 && s[i] >= '0' && s[i] <= '9'; i++, d++)
			;
		if (d == 0 || d > 2)
			return 0;
		if (k == 1)
			return i >= len || s[i] < '0' || s[i] > '9';
		if (i < len && s[i] == '-')
			i++;
		else if (i + 3 <= len && memcmp(s + i, "\xe2\x80\x93", 3) == 0)	/* – */
			i += 3;
		else
			return 0;
	}
	return 0;
}

/* The offset past a case ending or possessive set off by an apostrophe at end (Başakşehir'i,
 * Santos's), or end. */
static size_t
after_suffix(const char *s, size_t len, size_t end)
{
	size_t	 i = end, k = apostrophe_len(s, len, end);

	if (k > 0)
		for (i += k; i < len && fold_wordchar_at(s, len, i); )
			i = next_char(s, len, i);
	return i;
}

/*
 * Is the city at s[start, end) a club by whose player or fans follow it: Porto'nun golcüsü,
 * Santos's goalkeeper, Liverpool taraftarlarına? A city has no strikers.
 */
static const char *const club_roles[] = { "golcüsü", "kalecisi", "forveti", "stoperi",
	"kaptanı", "striker", "goalkeeper", "midfielder", "winger", "defender", "taraftarı",
	"taraftarları", "taraftarlarına", "taraftarlarından", "fans", "supporters", NULL };

int
club_role_after(const char *s, size_t len, size_t end)
{
	size_t	 b, e;

	return word_after(s, len, after_suffix(s, len, end), &b, &e) && word_in(s, b, e, club_roles);
}

/*
 * Is the city at s[start, end) beside a match's score: Reading 2-1 Wrexham, Başakşehir'i 2-1
 * mağlup etti (a case ending after the apostrophe)? A city scores nothing; its club does.
 */
int
score_beside(const char *s, size_t len, size_t start, size_t end)
{
	size_t	 i = after_suffix(s, len, end), d;

	if (i + 1 < len && s[i] == ' ' && score_at(s, len, i + 1))
		return 1;
	/* or in parentheses: face au Havre (2-1) */
	if (i + 2 < len && s[i] == ' ' && s[i + 1] == '(' && score_at(s, len, i + 2))
		return 1;
	/* before: "2-1 Wrexham", "3–1 Milan": digits, a dash, digits, then the name */
	if (start < 4 || s[start - 1] != ' ')
		return 0;
	for (d = start - 1; d > 0 && s[d - 1] >= '0' && s[d - 1] <= '9'; d--)
		;
	if (d == start - 1)
		return 0;
	if (d > 0 && s[d - 1] == '-')
		d--;
	else if (d >= 3 && memcmp(s + d - 3, "\xe2\x80\x93", 3) == 0)
		d -= 3;
	else
		return 0;
	while (d > 0 && s[d - 1] >= '0' && s[d - 1] <= '9')
		d--;
	return (d == 0 || s[d - 1] == ' ') && score_at(s, len, d);
}

/*
 * Is the place at s[start, end) a street's or a river's name: after a word for a street, an
 * avenue or a square in Russian (на улице Кирова, проспект Ленина, площадь Горького: a
 * person's name far more often than a city's), Persian, Arabic or Hebrew, or before one in
 * English or Turkish; or beside a word for a river (le fleuve Niger, the Niger River)? The
 * street is named after the place, the river names the country: neither is news of the place.
 */
static const char *const street_words[] = { "улица", "улицы", "улице", "улицу", "улицей",
	"ул.", "Улица", "Улицы", "Улице", "Улицу", "Улицей", "Проспект", "Площадь",
	"проспект", "проспекта", "проспекте", "проспектом", "пр-т", "площадь", "площади",
	"площадью", "переулок", "переулка", "переулке", "бульвар", "бульвара", "бульваре",
	"набережная", "набережной", "шоссе",
	/* a monument to Kirov (памятник Кирову) is the man's */
	"памятник", "памятника", "памятнике", "Памятник",
	/* Persian, Arabic, Hebrew: street, avenue, boulevard, alley, road (خیابان فلسطین, شارع
	 * بغداد, דרך חברון; "on the way to Hebron" is בדרך לחברון, the name after a proclitic) */
	"خیابان", "بلوار", "کوچه", "شارع", "רחוב", "שדרות", "דרך", "כיכר",
	/* and a river: the river Niger, the Jordan (fleuve Niger, نهر الأردن, река Иордан) */
	"fleuve", "rivière", "River", "river", "نهر", "رود", "رودخانه", "река", "реки", "реке",
	"נהר", NULL };

/* after the name: Baghdad Street, İstanbul Caddesi, the Niger River, Fırat Nehri */
static const char *const street_words_after[] = { "Street", "Avenue", "Road", "Boulevard",
	"River", "river", "Caddesi", "semti", "semtinde", "semtindeki", "Mahallesi", "mahallesi",
	"mahallesinde", "Sokak", "Sokağı", "Bulvarı", "Nehri", "Irmağı", NULL };

/* French names the street before "de" (rue de Rome, boulevard de Strasbourg, quai d'Alger). */
static const char *const french_street_words[] = { "rue", "Rue", "avenue", "Avenue",
	"boulevard", "Boulevard", "quai", "Quai", "impasse", "Impasse", "allée", "Allée", NULL };

static const char *const french_of[] = { "de", "du", NULL };

static int
french_street_before(const char *s, size_t start)
{
	size_t	 b, e, k;

	if (word_before(s, start, &b, &e) && word_in(s, b, e, french_of))
		return word_before(s, b, &b, &e) && word_in(s, b, e, french_street_words);
	/* d' or d’ joined to the name */
	for (k = 1; k <= 3 && k <= start; k++)
		if (apostrophe_len(s, start, start - k) == k && start - k >= 1 &&
		    s[start - k - 1] == 'd')
			return word_before(s, start - k - 1, &b, &e) &&
			    word_in(s, b, e, french_street_words);
	return 0;
}

int
street_or_river(const char *s, size_t len, size_t start, size_t end)
{
	size_t	 b, e;

	if (word_after(s, len, end, &b, &e) && word_in(s, b, e, street_words_after))
		return 1;
	if (french_street_before(s, start))
		return 1;
	return word_before(s, start, &b, &e) && word_in_clitic(s, len, b, e, street_words);
}

static const char *const edge_verbs[] = { "edge", "edges", "edged", NULL };

static const char *const past[] = { "past", NULL };

/* Is the city at start the rival a club edges past (Reading edge past Wrexham)? */
int
edged_past(const char *s, size_t start)
{
	size_t	 b, e, b2, e2;

	return word_before(s, start, &b, &e) && word_in(s, b, e, past) &&
	    word_before(s, b, &b2, &e2) && word_in(s, b2, e2, edge_verbs);
}

/*
 * British news gives a club a plural verb and a city a singular one: Liverpool unveil a jersey,
 * Liverpool unveils a plan. Only as a clause's subject, at a sentence's start or after a
 * conjunction that opens one (as Milan climb to second): elsewhere the plural is another
 * subject's (Teachers in Bulawayo extend strike; Kyiv and Moscow agree).
 */
static const char *const plural_verbs[] = { "unveil", "confirm", "complete", "announce",
	"appoint", "sack", "extend", "secure", "seal", "claim", "name", "climb", "slip", "stay",
	"win", "lose", "reach", "cruise", "crash", NULL };

static const char *const clause_openers[] = { "as", "while", "after", "when", "As", "While",
	"After", "When", NULL };

int
plural_verb_after(const char *s, size_t len, size_t start, size_t end)
{
	size_t	 b, e;

	if (!sentence_start(s, start) &&
	    !(word_before(s, start, &b, &e) && word_in(s, b, e, clause_openers)))
		return 0;
	return word_after(s, len, end, &b, &e) && word_in(s, b, e, plural_verbs);
}

int
team_verb_after(const char *s, size_t len, size_t end)
{
	static const char	 contract[] = "sözleşme";	/* and its case forms */
	size_t			 b, e, b2, e2;

	static const char *const back[] = { "back", "off", NULL };

	if (!word_after(s, len, end, &b, &e))
		return 0;
	/* A city does beat back or beat off an assault (Kyiv beats back drone wave). */
	if (word_in(s, b, e, team_verbs_after))
		return !word_after(s, len, e, &b2, &e2) || !word_in(s, b2, e2, back);
	/* A club edges past a rival; a city only edges closer to something. */
	if (word_in(s, b, e, edge_verbs))
		return word_after(s, len, e, &b2, &e2) && word_in(s, b2, e2, past);
	/* Turkish: a contract with it (Liverpool ile sözleşmesini uzattı) */
	return e - b == 3 && memcmp(s + b, "ile", 3) == 0 && word_after(s, len, e, &b2, &e2) &&
	    e2 - b2 >= sizeof(contract) - 1 && memcmp(s + b2, contract, sizeof(contract) - 1) == 0;
}

/*
 * Is the city at start the rival a club beats: Real Madrid beat Sevilla, Lyon bat Nice, ريال
 * مدريد يفوز على إشبيلية (wins over)? A city is not beaten in a match; its club is. The verbs
 * that take their rival straight after them, and the Arabic ones that take it after على.
 */
static const char *const beat_verbs[] = { "beat", "beats", "thrash", "thrashes", "thrashed",
	"rout", "routs", "routed", "stun", "stuns", "stunned", "edge", "edges", "bat", "écrase",
	"domine", "renverse", "يهزم", "هزم", "يكتسح", "اكتسح", "يسحق", "سحق",
	"обыграл", "обыграли", "разгромил", "разгромили", NULL };

static const char *const win_over_verbs[] = { "يفوز", "فاز", "يتغلب", "تغلب", "ينتصر", "انتصر",
	NULL };

static const char *const over[] = { "على", NULL };

int
beaten_rival(const char *s, size_t start)
{
	size_t	 b, e, b2, e2;

	if (!word_before(s, start, &b, &e))
		return 0;
	if (word_in(s, b, e, beat_verbs))
		return 1;
	return word_in(s, b, e, over) && word_before(s, b, &b2, &e2) &&
	    word_in(s, b2, e2, win_over_verbs);
}

/*
 * Does the text name a football league, a derby, an away game or a club whose name is no city's
 * (Ligue 1 : Auxerre arrache le nul face à Lorient; Liverpool edge Everton in Merseyside derby;
 * Trabzon deplasmanda Kayseri'yi yendi; Real Madrid held to a draw by Girona)? Then its cities
 * are clubs, unless the text says something happens in one (in Lyon, Trabzon'da): see
 * league_club. As written, whole words.
 */
static const char *const leagues[] = { "Ligue 1", "Ligue 2", "Premier League", "Süper Lig",
	"Super Lig", "Serie A", "LaLiga", "La Liga", "Bundesliga", "Eredivisie", "Champions League",
	"Europa League", "Conference League", "Şampiyonlar Ligi", "Avrupa Ligi",
	"Ligue des champions", "Ligue Europa", "deplasmanda", "deplasman", "РПЛ", "Премьер-лиги",
	"Премьер-лига", "دوري أبطال", "الدوري الممتاز", "دوري روشن", "الدوري السعودي",
	"الدوري المصري", "لیگ برتر", "ליגת העל", "ליגת האלופות", "derby", "derbi", "derbisi",
	"дерби", "دربی", "ديربي", "הדרבי", "דרבי", "בדרבי", "s'impose", "s'incline", "arrache le nul", "الكلاسيكو",
	"El Clásico", "Clásico", "Clasico", "صدرنشین",
	/* clubs (Real Madrid is no city's news; Madrid's not = phrases say so too) */
	"Real Madrid", "ريال مدريد", "رئال مادرید", "ריאל מדריד", "Реал Мадрид",
	"Atlético Madrid", "Paris Saint-Germain", "PSG", "باريس سان جيرمان", "پاریس سن ژرمن",
	"Manchester United", "Bayern Munich", "Bayern München", "Juventus", "Inter Milan",
	"AC Milan", "Galatasaray", "Fenerbahçe", "Beşiktaş", "پرسپولیس", "استقلال تهران",
	"מכבי", "Спартак", "ЦСКА", NULL };

int
league_named(const char *s, size_t len)
{
	const char *const *w;
	const char	*p, *e = s + len;
	size_t		 n;

	for (w = leagues; *w != NULL; w++) {
		n = strlen(*w);
		for (p = s; (p = memmem(p, (size_t)(e - p), *w, n)) != NULL; p++)
			if ((p == s || !fold_wordchar_before(s, (size_t)(p - s))) &&
			    !fold_wordchar_at(s, len, (size_t)(p - s) + n))
				return 1;
	}
	return 0;
}

/*
 * Is the built-in place at s[start, end) the first word of a short name in guillemets: a
 * submarine «Курск», a club «Салават Юлаев», a film «Aleppo»? Russian, French, Arabic and
 * Persian news quote such names so; a quotation of speech is longer, or does not start with the
 * place. At most three words, within a line.
 */
#define QUOTED_NAME_MAX	64	/* bytes between the guillemets */

int
quoted_name(const char *s, size_t len, size_t start, size_t end)
{
	size_t	 b = start, e, words = 0;
	int	 in = 0;

	while (b > 0 && s[b - 1] == ' ')
		b--;
	if (b < 2 || memcmp(s + b - 2, "\xc2\xab", 2) != 0)	/* « */
		return 0;
	for (e = end; e + 1 < len && e - start < QUOTED_NAME_MAX; e++) {
		if (s[e] == '\n' || memcmp(s + e, "\xc2\xab", 2) == 0)
			return 0;
		if (memcmp(s + e, "\xc2\xbb", 2) == 0)	/* » */
			break;
	}
	if (e + 1 >= len || e - start >= QUOTED_NAME_MAX)
		return 0;
	for (b = start; b < e; b = next_char(s, len, b)) {
		if (fold_wordchar_at(s, len, b)) {
			words += !in;
			in = 1;
		} else
			in = 0;
	}
	return words <= 3;
}
