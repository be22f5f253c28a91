package dev.smsgateway;

/**
 * The country calling codes of ITU-T E.164 and the national number lengths each allows: the lengths libphonenumber
 * reports as possible for the code's main country, capped at 15 digits in all. {@link NumberCheck#CALLING_CODE_LENGTH}
 * reads E.164 numbers with it instead of loading libphonenumber's metadata. CallingCodesTest compares it with the
 * libphonenumber version the build uses, so an update of libphonenumber that changes a plan fails the build.
 */
final class CallingCodes {

  /** {@code code:lengths}, lengths as hexadecimal digits ({@code a} = 10). */
  static final String TABLE = "1:a 7:ae 20:89a 27:56789a 30:abc 31:56789ab 32:89 33:9 34:9 36:89 39:6789abc 40:69 41:9c "
      + "43:456789abcd 44:79a 45:8 46:6789ac 47:58 48:6789a 49:456789abcd 51:89 52:a 53:678a 54:ab 55:89ab "
      + "56:9ab 57:8ab 58:a 60:89a 61:56789ac 62:789abcd 63:689abcd 64:56789a 65:8ab 66:89ad 81:89abcd "
      + "82:5689abcd 84:789a 86:789abc 90:7acd 91:89abcd 92:89abc 93:9 94:9 95:6789a 98:4567a 211:9 212:9 "
      + "213:89 216:8 218:9 220:7 221:9 222:8 223:8 224:89 225:a 226:8 227:8 228:8 229:8a 230:78a 231:789 "
      + "232:8 233:89 234:abc 235:8 236:8 237:89 238:7 239:7 240:9 241:78 242:9 243:789a 244:9 245:79 246:7 "
      + "247:56 248:7 249:9 250:89 251:9 252:6789 253:8 254:789a 255:9 256:9 257:8 258:89 260:9 261:9 262:9 "
      + "263:56789a 264:89 265:79 266:8 267:78a 268:89 269:7 290:45 291:7 297:7 298:6 299:6 350:8 351:9 "
      + "352:456789ab 353:789a 354:79 355:6789 356:8 357:8 358:56789abc 359:6789c 370:8 371:8 372:78a 373:8 "
      + "374:8 375:6789ab 376:689 377:89 378:8a 380:9a 381:6789abc 382:89 383:89abc 385:789 386:5678 387:89 "
      + "389:8 420:9abc 421:679 423:79 500:5 501:7b 502:8b 503:78b 504:8b 505:8 506:8a 507:78ab 508:69 509:8 "
      + "590:9 591:89 592:7 593:89ab 594:9 595:6789ab 596:9 597:67 598:456789abc 599:78 670:78 672:6 673:7 "
      + "674:7 675:78 676:57 677:57 678:57 679:7b 680:7 681:69 682:5 683:47 685:567a 686:58 687:6 688:567 "
      + "689:689 690:4567 691:7 692:7 800:8 808:8 850:8a 852:56789b 853:78 855:89a 856:89a 870:9c 878:c "
      + "880:6789a 881:9a 882:789abc 883:89abc 886:789ab 888:b 960:7a 961:78 962:89 963:89 964:89a 965:78 "
      + "966:9a 967:789 968:789 970:89a 971:56789abc 972:789abc 973:8 974:789b 975:78 976:89a 977:8ab 979:9 "
      + "992:9 993:8 994:9 995:9 996:9a 998:9";

  /** The ISO 3166-1 alpha-2 regions libphonenumber supports, space-separated. */
  static final String REGION_TABLE = "AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT "
      + "BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER "
      + "ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE "
      + "IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV "
      + "LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP "
      + "NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK "
      + "SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA "
      + "VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

  static final java.util.Set<String> REGIONS = java.util.Set.of(REGION_TABLE.split(" "));

  /** Bit n of LENGTHS[code] is set when a national number of n digits is possible after that calling code. */
  private static final int[] LENGTHS = new int[1000];

  static {
    for (String entry : TABLE.split(" ")) {
      int colon = entry.indexOf(':');
      int code = Integer.parseInt(entry.substring(0, colon));
      int mask = 0;
      for (int i = colon + 1; i < entry.length(); i++) {
        mask |= 1 << Character.digit(entry.charAt(i), 16);
      }
      LENGTHS[code] = mask;
    }
  }

  private CallingCodes() {}

  /**
   * Why {@code e164} (already E.164 syntax) is not a possible number, or null when it is: its calling code is the
   * one prefix of 1-3 digits in the table (calling codes are prefix-free).
   */
  static String problem(String e164) {
    for (int digits = 1; digits <= 3 && digits < e164.length(); digits++) {
      int code = Integer.parseInt(e164.substring(1, 1 + digits));
      int mask = LENGTHS[code];
      if (mask != 0) {
        int national = e164.length() - 1 - digits;
        if ((mask & (1 << national)) != 0) {
          return null;
        }
        return (mask & ((1 << national) - 1)) == 0 ? "is too short" : mask >>> (national + 1) == 0
            ? "is too long" : "has an invalid length for its country";
      }
    }
    return "has an invalid country code";
  }

  /** Whether {@code e164} is a North American toll-free number (+1 800, 833, 844, 855, 866, 877, 888). */
  static boolean nanpTollFree(String e164) {
    if (e164.length() != 12 || !e164.startsWith("+18")) {
      return false;
    }
    char a = e164.charAt(3);
    char b = e164.charAt(4);
    return a == b && a >= '3' && a <= '8' || a == '0' && b == '0';
  }
}
