/* test-citation.c: the Harvard citation parser, on every citation of the
 * guide's reference list and on hostile input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cb-citation.h"
#include "cb-error.h"

#define GUIDE_FILE "improving-race-equality-guide.txt"
#define PLACEHOLDER "Requires a reference from Janet Smylie"

/* One distinct citation line of the guide's reference list (lines that are
 * byte-identical appear once) and what a careful reader takes from it.
 * @authors lists every author as "Family, Given", or just "Name" for an
 * organisation, joined by "; ". */
typedef struct
{
  const char *name;
  const char *text;
  const char *authors;
  guint       n_authors;
  const char *first_family;
  const char *last_family;
  gboolean    et_al;
  gboolean    editors;
  const char *year;
  const char *title;
  const char *container;
  const char *volume;
  const char *issue;
  const char *pages;
  const char *publisher;
  const char *place;
  const char *doi;
  const char *url;
  const char *kind;
  const char *key;
} GuideCitation;

static const GuideCitation guide_citations[] = {
  /* Inset box 1.1.1 */
  {
    .name = "nhsracehealthobservatory2024",
    .text = "NHS Race & Health Observatory (2024) Seven anti-racism "
            "principles and briefings. Available at: "
            "<https://nhsrho.org/resources/seven-anti-racism-principles/>",
    .authors = "NHS Race & Health Observatory",
    .n_authors = 1,
    .first_family = "NHS Race & Health Observatory",
    .last_family = "NHS Race & Health Observatory",
    .et_al = FALSE, .editors = FALSE,
    .year = "2024",
    .title = "Seven anti-racism principles and briefings",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://nhsrho.org/resources/seven-anti-racism-principles/",
    .kind = "webpage",
    .key = "nhsracehealthobservatory2024",
  },
  /* Inset box 1.2.1 */
  {
    .name = "priest2015",
    .text = "Priest, N., Esmail, A., Kline, R., Rao, M., Coghill, Y. and "
            "Williams, D.R. (2015) Promoting equality for ethnic minority "
            "NHS staff—what works? *BMJ*, 351:h3297. doi:10.1136/bmj.h3297",
    .authors = "Priest, N.; Esmail, A.; Kline, R.; Rao, M.; Coghill, Y.; Williams, D.R.",
    .n_authors = 6,
    .first_family = "Priest",
    .last_family = "Williams",
    .et_al = FALSE, .editors = FALSE,
    .year = "2015",
    .title = "Promoting equality for ethnic minority NHS staff—what works?",
    .container = "BMJ", .volume = "351", .issue = NULL, .pages = "h3297",
    .publisher = NULL, .place = NULL,
    .doi = "10.1136/bmj.h3297",
    .url = NULL,
    .kind = "article",
    .key = "priest2015",
  },
  /* Inset box 4.1.1: typographic quotes */
  {
    .name = "saha2013",
    .text = "Saha, S., Korthuis, P.T., Cohn, J.A., Sharp, V.L., Moore, R.D. "
            "& Beach, M.C. (2013) ‘Primary care provider cultural "
            "competence and racial disparities in HIV care and outcomes’, "
            "*Journal of General Internal Medicine*, 28(5), pp. 622-629. "
            "doi: 10.1007/s11606-012-2298-8.",
    .authors = "Saha, S.; Korthuis, P.T.; Cohn, J.A.; Sharp, V.L.; Moore, R.D.; Beach, M.C.",
    .n_authors = 6,
    .first_family = "Saha",
    .last_family = "Beach",
    .et_al = FALSE, .editors = FALSE,
    .year = "2013",
    .title = "Primary care provider cultural competence and racial disparities in HIV care and outcomes",
    .container = "Journal of General Internal Medicine",
    .volume = "28", .issue = "5", .pages = "622-629",
    .publisher = NULL, .place = NULL,
    .doi = "10.1007/s11606-012-2298-8",
    .url = NULL,
    .kind = "article",
    .key = "saha2013",
  },
  /* Inset box 4.2.1: typographic quotes */
  {
    .name = "metzl2014",
    .text = "Metzl, J.M. & Hansen, H. (2014) ‘Structural competency: "
            "Theorizing a new medical engagement with stigma and "
            "inequality’, *Social Science & Medicine*, 103, pp. 126-133. "
            "doi: 10.1016/j.socscimed.2013.06.032.",
    .authors = "Metzl, J.M.; Hansen, H.",
    .n_authors = 2,
    .first_family = "Metzl",
    .last_family = "Hansen",
    .et_al = FALSE, .editors = FALSE,
    .year = "2014",
    .title = "Structural competency: Theorizing a new medical engagement with stigma and inequality",
    .container = "Social Science & Medicine",
    .volume = "103", .issue = NULL, .pages = "126-133",
    .publisher = NULL, .place = NULL,
    .doi = "10.1016/j.socscimed.2013.06.032",
    .url = NULL,
    .kind = "article",
    .key = "metzl2014",
  },
  /* Inset box 5.2.1: the DOI is inside the link; "May" is not a page */
  {
    .name = "ansell2021-catalyst-link",
    .text = "Ansell, D.A., Oliver-Hightower, D., Goodman, L.J., Lateef, "
            "O.B. and Johnson, T.J. (2021) Health equity as a system "
            "strategy: The Rush University Medical Center framework. *NEJM "
            "Catalyst Innovations in Care Delivery*, 2(5), May. Available "
            "at: <https://catalyst.nejm.org/doi/full/10.1056/CAT.21.0098>",
    .authors = "Ansell, D.A.; Oliver-Hightower, D.; Goodman, L.J.; Lateef, O.B.; Johnson, T.J.",
    .n_authors = 5,
    .first_family = "Ansell",
    .last_family = "Johnson",
    .et_al = FALSE, .editors = FALSE,
    .year = "2021",
    .title = "Health equity as a system strategy: The Rush University Medical Center framework",
    .container = "NEJM Catalyst Innovations in Care Delivery",
    .volume = "2", .issue = "5", .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = "10.1056/CAT.21.0098",
    .url = "https://catalyst.nejm.org/doi/full/10.1056/CAT.21.0098",
    .kind = "article",
    .key = "ansell2021",
  },
  /* Inset box 6.2.1: typographic double quotes */
  {
    .name = "nhsracehealthobservatory2021",
    .text = "NHS Race & Health Observatory (2021) “NHS update guidance on "
            "blood oxygen monitors”. Available at: "
            "<https://www.nhsrho.org/news/nhs-update-guidance-on-blood-oxygen-monitors/>",
    .authors = "NHS Race & Health Observatory",
    .n_authors = 1,
    .first_family = "NHS Race & Health Observatory",
    .last_family = "NHS Race & Health Observatory",
    .et_al = FALSE, .editors = FALSE,
    .year = "2021",
    .title = "NHS update guidance on blood oxygen monitors",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.nhsrho.org/news/nhs-update-guidance-on-blood-oxygen-monitors/",
    .kind = "webpage",
    .key = "nhsracehealthobservatory2021",
  },
  /* Inset boxes 7.2.1, 7.2.2 and 7.2.3 (three identical lines) */
  {
    .name = "davey2009",
    .text = "Davey, L. (2009) Talking About Disparities: The Effect of "
            "Frame Choices on Support for Racial Equity Policies. "
            "Washington, DC: FrameWorks Institute. Available at: "
            "<https://www.frameworksinstitute.org/resources/talking-about-disparities-the-effect-of-frame-choices-on-support-for-racial-equity-policies/>",
    .authors = "Davey, L.",
    .n_authors = 1,
    .first_family = "Davey",
    .last_family = "Davey",
    .et_al = FALSE, .editors = FALSE,
    .year = "2009",
    .title = "Talking About Disparities: The Effect of Frame Choices on Support for Racial Equity Policies",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = "FrameWorks Institute", .place = "Washington, DC",
    .doi = NULL,
    .url = "https://www.frameworksinstitute.org/resources/talking-about-disparities-the-effect-of-frame-choices-on-support-for-racial-equity-policies/",
    .kind = "report",
    .key = "davey2009",
  },
  /* Case study 2.2.1: "Block Jr." and an organisation among people */
  {
    .name = "fernandez2024",
    .text = "Fernandez, H., Ayo-Vaughan, M., Zephyrin, L.C., Block Jr., R. "
            "& The Commonwealth Fund (2024) Revealing Disparities: Health "
            "Care Workers' Observations of Discrimination Against Patients. "
            "New York: The Commonwealth Fund. Available at: "
            "<https://www.commonwealthfund.org/publications/issue-briefs/2024/feb/revealing-disparities-health-care-workers-observations>",
    .authors = "Fernandez, H.; Ayo-Vaughan, M.; Zephyrin, L.C.; Block Jr., R.; The Commonwealth Fund",
    .n_authors = 5,
    .first_family = "Fernandez",
    .last_family = "The Commonwealth Fund",
    .et_al = FALSE, .editors = FALSE,
    .year = "2024",
    .title = "Revealing Disparities: Health Care Workers' Observations of Discrimination Against Patients",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = "The Commonwealth Fund", .place = "New York",
    .doi = NULL,
    .url = "https://www.commonwealthfund.org/publications/issue-briefs/2024/feb/revealing-disparities-health-care-workers-observations",
    .kind = "report",
    .key = "fernandez2024",
  },
  /* Case study 2.2.2: "de New", an apostrophe inside a quoted title */
  {
    .name = "saxby2023",
    .text = "Saxby, K., Byrnes, J., de New, S.C., Nghiem, S. & Petrie, D. "
            "(2023) 'Does affirmative action reduce disparities in "
            "healthcare use by Indigenous peoples? Evidence from "
            "Australia's Indigenous Practice Incentives Program', *Health "
            "Economics*, 32(4), pp. 853-872. doi: 10.1002/hec.4645.",
    .authors = "Saxby, K.; Byrnes, J.; de New, S.C.; Nghiem, S.; Petrie, D.",
    .n_authors = 5,
    .first_family = "Saxby",
    .last_family = "Petrie",
    .et_al = FALSE, .editors = FALSE,
    .year = "2023",
    .title = "Does affirmative action reduce disparities in healthcare use by Indigenous peoples? "
             "Evidence from Australia's Indigenous Practice Incentives Program",
    .container = "Health Economics",
    .volume = "32", .issue = "4", .pages = "853-872",
    .publisher = NULL, .place = NULL,
    .doi = "10.1002/hec.4645",
    .url = NULL,
    .kind = "article",
    .key = "saxby2023",
  },
  /* Case study 2.2.3: "13 February." is a date, not a publisher */
  {
    .name = "coalitionofpeaks2020",
    .text = "Coalition of Peaks (2020) Circuit breaker needed as the cycle "
            "of failure continues in 2020 Closing the Gap report. 13 "
            "February. [online] Available at: "
            "<https://www.coalitionofpeaks.org.au/media/circuit-breaker-needed-as-the-cycle-of-failure-continues-in-2020-closing-the-gap-report>",
    .authors = "Coalition of Peaks",
    .n_authors = 1,
    .first_family = "Coalition of Peaks",
    .last_family = "Coalition of Peaks",
    .et_al = FALSE, .editors = FALSE,
    .year = "2020",
    .title = "Circuit breaker needed as the cycle of failure continues in 2020 Closing the Gap report",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.coalitionofpeaks.org.au/media/circuit-breaker-needed-as-the-cycle-of-failure-continues-in-2020-closing-the-gap-report",
    .kind = "webpage",
    .key = "coalitionofpeaks2020",
  },
  /* Case study 2.2.4 */
  {
    .name = "kukutai2023",
    .text = "Kukutai, T., Campbell-Kamariera, K., Mead, A., Mikaere, K., "
            "Moses, C., Whitehead, J. & Cormack, D. (2023) Māori Data "
            "Governance Model. Te Kāhui Raraunga. Available at: "
            "<https://www.kahuiraraunga.io/maoridatagovernance>",
    .authors = "Kukutai, T.; Campbell-Kamariera, K.; Mead, A.; Mikaere, K.; Moses, C.; "
               "Whitehead, J.; Cormack, D.",
    .n_authors = 7,
    .first_family = "Kukutai",
    .last_family = "Cormack",
    .et_al = FALSE, .editors = FALSE,
    .year = "2023",
    .title = "Māori Data Governance Model",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = "Te Kāhui Raraunga", .place = NULL,
    .doi = NULL,
    .url = "https://www.kahuiraraunga.io/maoridatagovernance",
    .kind = "report",
    .key = "kukutai2023",
  },
  /* Case study 2.2.4 */
  {
    .name = "newzealandgovernmentchiefdigitaloffice2025",
    .text = "New Zealand Government Chief Digital Office (2025) Sharing "
            "Māori data: Information sharing standard — Māori data. "
            "[online] Available at: "
            "<https://www.digital.govt.nz/standards-and-guidance/information-sharing-standard/maori-data>",
    .authors = "New Zealand Government Chief Digital Office",
    .n_authors = 1,
    .first_family = "New Zealand Government Chief Digital Office",
    .last_family = "New Zealand Government Chief Digital Office",
    .et_al = FALSE, .editors = FALSE,
    .year = "2025",
    .title = "Sharing Māori data: Information sharing standard — Māori data",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.digital.govt.nz/standards-and-guidance/information-sharing-standard/maori-data",
    .kind = "webpage",
    .key = "newzealandgovernmentchiefdigitaloffice2025",
  },
  /* Case study 3.1.1: "6(4): e236687", an article number */
  {
    .name = "snyder2023",
    .text = "Snyder, J.E., Upton, R.D., Hassett, T.C., Lee, H., Nouri, Z. & "
            "Dill, M. (2023) 'Black representation in the primary care "
            "physician workforce and its association with population life "
            "expectancy and mortality rates in the US', *JAMA Network "
            "Open*, 6(4): e236687. doi: 10.1001/jamanetworkopen.2023.6687.",
    .authors = "Snyder, J.E.; Upton, R.D.; Hassett, T.C.; Lee, H.; Nouri, Z.; Dill, M.",
    .n_authors = 6,
    .first_family = "Snyder",
    .last_family = "Dill",
    .et_al = FALSE, .editors = FALSE,
    .year = "2023",
    .title = "Black representation in the primary care physician workforce and its association "
             "with population life expectancy and mortality rates in the US",
    .container = "JAMA Network Open",
    .volume = "6", .issue = "4", .pages = "e236687",
    .publisher = NULL, .place = NULL,
    .doi = "10.1001/jamanetworkopen.2023.6687",
    .url = NULL,
    .kind = "article",
    .key = "snyder2023",
  },
  /* Case study 3.2.1: an en dash in the page range */
  {
    .name = "alsan2019",
    .text = "Alsan, M., Garrick, O. and Graziani, G. (2019) 'Does diversity "
            "matter for health? Experimental evidence from Oakland', "
            "*American Economic Review*, 109(12), pp. 4071–4111. doi: "
            "10.1257/aer.20181865.",
    .authors = "Alsan, M.; Garrick, O.; Graziani, G.",
    .n_authors = 3,
    .first_family = "Alsan",
    .last_family = "Graziani",
    .et_al = FALSE, .editors = FALSE,
    .year = "2019",
    .title = "Does diversity matter for health? Experimental evidence from Oakland",
    .container = "American Economic Review",
    .volume = "109", .issue = "12", .pages = "4071–4111",
    .publisher = NULL, .place = NULL,
    .doi = "10.1257/aer.20181865",
    .url = NULL,
    .kind = "article",
    .key = "alsan2019",
  },
  /* Case study 3.2.2: the quoted title ends with the abbreviation "U.K.",
   * whose full stop belongs to the title; a comma inside the journal name */
  {
    .name = "kalra2009",
    .text = "Kalra, V.S., Abel, P. & Esmail, A. (2009) 'Developing "
            "leadership interventions for Black and minority ethnic staff: "
            "a case study of the National Health Service (NHS) in the "
            "U.K.', *Journal of Health, Organisation and Management*, "
            "23(1), pp. 103-118. doi: 10.1108/14777260910942588.",
    .authors = "Kalra, V.S.; Abel, P.; Esmail, A.",
    .n_authors = 3,
    .first_family = "Kalra",
    .last_family = "Esmail",
    .et_al = FALSE, .editors = FALSE,
    .year = "2009",
    .title = "Developing leadership interventions for Black and minority ethnic staff: "
             "a case study of the National Health Service (NHS) in the U.K.",
    .container = "Journal of Health, Organisation and Management",
    .volume = "23", .issue = "1", .pages = "103-118",
    .publisher = NULL, .place = NULL,
    .doi = "10.1108/14777260910942588",
    .url = NULL,
    .kind = "article",
    .key = "kalra2009",
  },
  /* Case study 3.2.3: three initials "W.T.L." */
  {
    .name = "devine2012",
    .text = "Devine, P.G., Forscher, P.S., Austin, A.J. and Cox, W.T.L. "
            "(2012) 'Long-term reduction in implicit race bias: A prejudice "
            "habit-breaking intervention', *Journal of Experimental Social "
            "Psychology*, 48(6), pp. 1267–1278. doi: "
            "10.1016/j.jesp.2012.06.003.",
    .authors = "Devine, P.G.; Forscher, P.S.; Austin, A.J.; Cox, W.T.L.",
    .n_authors = 4,
    .first_family = "Devine",
    .last_family = "Cox",
    .et_al = FALSE, .editors = FALSE,
    .year = "2012",
    .title = "Long-term reduction in implicit race bias: A prejudice habit-breaking intervention",
    .container = "Journal of Experimental Social Psychology",
    .volume = "48", .issue = "6", .pages = "1267–1278",
    .publisher = NULL, .place = NULL,
    .doi = "10.1016/j.jesp.2012.06.003",
    .url = NULL,
    .kind = "article",
    .key = "devine2012",
  },
  /* Case study 3.2.4: "Organisation. Title." with no year */
  {
    .name = "nhsemployersnd",
    .text = "NHS Employers. Inclusive culture: North East London NHS "
            "Foundation Trust case study. [online] Available at: "
            "<https://www.nhsemployers.org/case-studies/inclusive-culture>",
    .authors = "NHS Employers",
    .n_authors = 1,
    .first_family = "NHS Employers",
    .last_family = "NHS Employers",
    .et_al = FALSE, .editors = FALSE,
    .year = NULL,
    .title = "Inclusive culture: North East London NHS Foundation Trust case study",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.nhsemployers.org/case-studies/inclusive-culture",
    .kind = "webpage",
    .key = "nhsemployersnd",
  },
  /* Case study 4.1.1: the same work as Inset box 4.1.1, straight quotes */
  {
    .name = "saha2013-straight-quotes",
    .text = "Saha, S., Korthuis, P.T., Cohn, J.A., Sharp, V.L., Moore, R.D. "
            "& Beach, M.C. (2013) 'Primary care provider cultural "
            "competence and racial disparities in HIV care and outcomes', "
            "*Journal of General Internal Medicine*, 28(5), pp. 622-629. "
            "doi: 10.1007/s11606-012-2298-8.",
    .authors = "Saha, S.; Korthuis, P.T.; Cohn, J.A.; Sharp, V.L.; Moore, R.D.; Beach, M.C.",
    .n_authors = 6,
    .first_family = "Saha",
    .last_family = "Beach",
    .et_al = FALSE, .editors = FALSE,
    .year = "2013",
    .title = "Primary care provider cultural competence and racial disparities in HIV care and outcomes",
    .container = "Journal of General Internal Medicine",
    .volume = "28", .issue = "5", .pages = "622-629",
    .publisher = NULL, .place = NULL,
    .doi = "10.1007/s11606-012-2298-8",
    .url = NULL,
    .kind = "article",
    .key = "saha2013",
  },
  /* Case study 4.2.1: "19(1), 135", an article number without "p." */
  {
    .name = "shepherd2019",
    .text = "Shepherd, S.M., Willis-Esqueda, C., Newton, D., "
            "Sivasubramaniam, D. & Paradies, Y. (2019) 'The challenge of "
            "cultural competence in the workplace: perspectives of "
            "healthcare providers', *BMC Health Services Research*, 19(1), "
            "135. doi: 10.1186/s12913-019-3959-7.",
    .authors = "Shepherd, S.M.; Willis-Esqueda, C.; Newton, D.; Sivasubramaniam, D.; Paradies, Y.",
    .n_authors = 5,
    .first_family = "Shepherd",
    .last_family = "Paradies",
    .et_al = FALSE, .editors = FALSE,
    .year = "2019",
    .title = "The challenge of cultural competence in the workplace: perspectives of healthcare providers",
    .container = "BMC Health Services Research",
    .volume = "19", .issue = "1", .pages = "135",
    .publisher = NULL, .place = NULL,
    .doi = "10.1186/s12913-019-3959-7",
    .url = NULL,
    .kind = "article",
    .key = "shepherd2019",
  },
  /* Case study 4.2.2: neither DOI nor link */
  {
    .name = "kehoe2003",
    .text = "Kehoe, L., Smith, P. and Johnson, R. (2003) 'Cultural "
            "competence in health care: Moving beyond content-based "
            "training', *Journal of Health Disparities Research and "
            "Practice*, 7(2), pp. 45–58.",
    .authors = "Kehoe, L.; Smith, P.; Johnson, R.",
    .n_authors = 3,
    .first_family = "Kehoe",
    .last_family = "Johnson",
    .et_al = FALSE, .editors = FALSE,
    .year = "2003",
    .title = "Cultural competence in health care: Moving beyond content-based training",
    .container = "Journal of Health Disparities Research and Practice",
    .volume = "7", .issue = "2", .pages = "45–58",
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = NULL,
    .kind = "article",
    .key = "kehoe2003",
  },
  /* Case study 4.2.2: an edited book */
  {
    .name = "smedley2003",
    .text = "Smedley, B.D., Stith, A.Y. and Nelson, A.R. (eds.) (2003) "
            "*Unequal Treatment: Confronting Racial and Ethnic Disparities "
            "in Health Care*. Washington, DC: National Academies Press. "
            "doi: 10.17226/10260.",
    .authors = "Smedley, B.D.; Stith, A.Y.; Nelson, A.R.",
    .n_authors = 3,
    .first_family = "Smedley",
    .last_family = "Nelson",
    .et_al = FALSE, .editors = TRUE,
    .year = "2003",
    .title = "Unequal Treatment: Confronting Racial and Ethnic Disparities in Health Care",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = "National Academies Press", .place = "Washington, DC",
    .doi = "10.17226/10260",
    .url = NULL,
    .kind = "book",
    .key = "smedley2003",
  },
  /* Case study 4.2.3: the same work as Inset box 4.2.1, straight quotes */
  {
    .name = "metzl2014-straight-quotes",
    .text = "Metzl, J.M. & Hansen, H. (2014) 'Structural competency: "
            "Theorizing a new medical engagement with stigma and "
            "inequality', *Social Science & Medicine*, 103, pp. 126-133. "
            "doi: 10.1016/j.socscimed.2013.06.032.",
    .authors = "Metzl, J.M.; Hansen, H.",
    .n_authors = 2,
    .first_family = "Metzl",
    .last_family = "Hansen",
    .et_al = FALSE, .editors = FALSE,
    .year = "2014",
    .title = "Structural competency: Theorizing a new medical engagement with stigma and inequality",
    .container = "Social Science & Medicine",
    .volume = "103", .issue = NULL, .pages = "126-133",
    .publisher = NULL, .place = NULL,
    .doi = "10.1016/j.socscimed.2013.06.032",
    .url = NULL,
    .kind = "article",
    .key = "metzl2014",
  },
  /* Case study 4.2.4: a two-word family name and hyphenated initials */
  {
    .name = "curtis2019",
    .text = "Curtis, E., Jones, R., Tipene Leach, D., Walker, C., Loring, "
            "B., Paine, S.-J. & Reid, P. (2019) 'Why cultural safety rather "
            "than cultural competency is required to achieve health equity: "
            "a literature review and recommended definition', "
            "*International Journal for Equity in Health*, 18(1), 174. doi: "
            "10.1186/s12939-019-1082-3.",
    .authors = "Curtis, E.; Jones, R.; Tipene Leach, D.; Walker, C.; Loring, B.; Paine, S.-J.; Reid, P.",
    .n_authors = 7,
    .first_family = "Curtis",
    .last_family = "Reid",
    .et_al = FALSE, .editors = FALSE,
    .year = "2019",
    .title = "Why cultural safety rather than cultural competency is required to achieve health equity: "
             "a literature review and recommended definition",
    .container = "International Journal for Equity in Health",
    .volume = "18", .issue = "1", .pages = "174",
    .publisher = NULL, .place = NULL,
    .doi = "10.1186/s12939-019-1082-3",
    .url = NULL,
    .kind = "article",
    .key = "curtis2019",
  },
  /* Case study 5.2.1: a DOI ending in ".x" before the final full stop */
  {
    .name = "syme1978",
    .text = "Syme, S.L. (1978) 'Drug treatment of mild hypertension: Social "
            "and psychological considerations', *Annals of the New York "
            "Academy of Sciences*, 304, pp. 99–106. doi: "
            "10.1111/j.1749-6632.1978.tb41895.x.",
    .authors = "Syme, S.L.",
    .n_authors = 1,
    .first_family = "Syme",
    .last_family = "Syme",
    .et_al = FALSE, .editors = FALSE,
    .year = "1978",
    .title = "Drug treatment of mild hypertension: Social and psychological considerations",
    .container = "Annals of the New York Academy of Sciences",
    .volume = "304", .issue = NULL, .pages = "99–106",
    .publisher = NULL, .place = NULL,
    .doi = "10.1111/j.1749-6632.1978.tb41895.x",
    .url = NULL,
    .kind = "article",
    .key = "syme1978",
  },
  /* Case study 5.2.2 */
  {
    .name = "zuckerman2004",
    .text = "Zuckerman, B., Sandel, M., Smith, L. and Lawton, E. (2004) "
            "'Why pediatricians need lawyers to keep children healthy', "
            "*Pediatrics*, 114(1), pp. 224–228. doi: "
            "10.1542/peds.114.1.224.",
    .authors = "Zuckerman, B.; Sandel, M.; Smith, L.; Lawton, E.",
    .n_authors = 4,
    .first_family = "Zuckerman",
    .last_family = "Lawton",
    .et_al = FALSE, .editors = FALSE,
    .year = "2004",
    .title = "Why pediatricians need lawyers to keep children healthy",
    .container = "Pediatrics",
    .volume = "114", .issue = "1", .pages = "224–228",
    .publisher = NULL, .place = NULL,
    .doi = "10.1542/peds.114.1.224",
    .url = NULL,
    .kind = "article",
    .key = "zuckerman2004",
  },
  /* Case study 5.2.2: straight double quotes */
  {
    .name = "probonoinstitute2024",
    .text = "Pro Bono Institute (2024) \"Medical-Legal Partnerships\". "
            "[online] Available at: "
            "<https://www.probonoinst.org/2024/03/20/medical-legal-partnerships>",
    .authors = "Pro Bono Institute",
    .n_authors = 1,
    .first_family = "Pro Bono Institute",
    .last_family = "Pro Bono Institute",
    .et_al = FALSE, .editors = FALSE,
    .year = "2024",
    .title = "Medical-Legal Partnerships",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.probonoinst.org/2024/03/20/medical-legal-partnerships",
    .kind = "webpage",
    .key = "probonoinstitute2024",
  },
  /* Case study 5.2.3: dates in brackets inside the title, no full stop
   * before "[online]" */
  {
    .name = "towerhamletstogether2018",
    .text = "Tower Hamlets Together (2018) Social Prescribing in Tower "
            "Hamlets: Evaluation of Borough-wide Roll-out (1 December 2016 "
            "– 31 July 2017) Final Full Report [online] Available at: "
            "<https://www.towerhamletstogether.com/resource-library/social-prescribing-evaluation-final-full-report-03-2018-update>",
    .authors = "Tower Hamlets Together",
    .n_authors = 1,
    .first_family = "Tower Hamlets Together",
    .last_family = "Tower Hamlets Together",
    .et_al = FALSE, .editors = FALSE,
    .year = "2018",
    .title = "Social Prescribing in Tower Hamlets: Evaluation of Borough-wide Roll-out "
             "(1 December 2016 – 31 July 2017) Final Full Report",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.towerhamletstogether.com/resource-library/social-prescribing-evaluation-final-full-report-03-2018-update",
    .kind = "webpage",
    .key = "towerhamletstogether2018",
  },
  /* Case study 5.2.4: "doi:" with no space, no pages */
  {
    .name = "ansell2021-doi",
    .text = "Ansell, D.A., Oliver-Hightower, D., Goodman, L.J., Lateef, O. "
            "and Johnson, T.J. (2021) 'Health equity as a system strategy: "
            "The Rush University Medical Center framework', *NEJM Catalyst "
            "Innovations in Care Delivery*, 2(5). doi:10.1056/CAT.21.0145.",
    .authors = "Ansell, D.A.; Oliver-Hightower, D.; Goodman, L.J.; Lateef, O.; Johnson, T.J.",
    .n_authors = 5,
    .first_family = "Ansell",
    .last_family = "Johnson",
    .et_al = FALSE, .editors = FALSE,
    .year = "2021",
    .title = "Health equity as a system strategy: The Rush University Medical Center framework",
    .container = "NEJM Catalyst Innovations in Care Delivery",
    .volume = "2", .issue = "5", .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = "10.1056/CAT.21.0145",
    .url = NULL,
    .kind = "article",
    .key = "ansell2021",
  },
  /* Case study 6.2.1: the same work as Inset box 6.2.1, straight quotes */
  {
    .name = "nhsracehealthobservatory2021-straight-quotes",
    .text = "NHS Race & Health Observatory (2021) \"NHS update guidance on "
            "blood oxygen monitors\". [online] Available at: "
            "<https://www.nhsrho.org/news/nhs-update-guidance-on-blood-oxygen-monitors/>",
    .authors = "NHS Race & Health Observatory",
    .n_authors = 1,
    .first_family = "NHS Race & Health Observatory",
    .last_family = "NHS Race & Health Observatory",
    .et_al = FALSE, .editors = FALSE,
    .year = "2021",
    .title = "NHS update guidance on blood oxygen monitors",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.nhsrho.org/news/nhs-update-guidance-on-blood-oxygen-monitors/",
    .kind = "webpage",
    .key = "nhsracehealthobservatory2021",
  },
  /* Case study 6.2.2: "et al." and "p." */
  {
    .name = "treweek2024",
    .text = "Treweek, S., Brazzelli, M., Crosse, A., et al. (2024) 'Using "
            "the GRADE evidence to decision framework to reach "
            "recommendations together with ethnic minority community "
            "organisations: the example of COVID-19 vaccine uptake in the "
            "United Kingdom', *Journal of Clinical Epidemiology*, 168, p. "
            "111268. doi: 10.1016/j.jclinepi.2024.111268.",
    .authors = "Treweek, S.; Brazzelli, M.; Crosse, A.",
    .n_authors = 3,
    .first_family = "Treweek",
    .last_family = "Crosse",
    .et_al = TRUE, .editors = FALSE,
    .year = "2024",
    .title = "Using the GRADE evidence to decision framework to reach recommendations together with "
             "ethnic minority community organisations: the example of COVID-19 vaccine uptake in "
             "the United Kingdom",
    .container = "Journal of Clinical Epidemiology",
    .volume = "168", .issue = NULL, .pages = "111268",
    .publisher = NULL, .place = NULL,
    .doi = "10.1016/j.jclinepi.2024.111268",
    .url = NULL,
    .kind = "article",
    .key = "treweek2024",
  },
  /* Case study 6.2.2: no year, the organisation's name opens the title */
  {
    .name = "collaborationforchangend",
    .text = "Collaboration for Change. Collaboration for Change: Promoting "
            "vaccine uptake in ethnic minority groups. [online] Available "
            "at: <https://www.collaborationforchange.co.uk/>",
    .authors = "Collaboration for Change",
    .n_authors = 1,
    .first_family = "Collaboration for Change",
    .last_family = "Collaboration for Change",
    .et_al = FALSE, .editors = FALSE,
    .year = NULL,
    .title = "Collaboration for Change: Promoting vaccine uptake in ethnic minority groups",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.collaborationforchange.co.uk/",
    .kind = "webpage",
    .key = "collaborationforchangend",
  },
  /* Case study 6.2.3: no year, an apostrophe in the title */
  {
    .name = "nhsnorthwestlondonintegratedcareboardnd",
    .text = "NHS North West London Integrated Care Board. Citizens' Panel. "
            "[online] Available at: "
            "<https://www.nwlondonicb.nhs.uk/get-involved/resident-groups-and-forums/citizens-panel>",
    .authors = "NHS North West London Integrated Care Board",
    .n_authors = 1,
    .first_family = "NHS North West London Integrated Care Board",
    .last_family = "NHS North West London Integrated Care Board",
    .et_al = FALSE, .editors = FALSE,
    .year = NULL,
    .title = "Citizens' Panel",
    .container = NULL, .volume = NULL, .issue = NULL, .pages = NULL,
    .publisher = NULL, .place = NULL,
    .doi = NULL,
    .url = "https://www.nwlondonicb.nhs.uk/get-involved/resident-groups-and-forums/citizens-panel",
    .kind = "webpage",
    .key = "nhsnorthwestlondonintegratedcareboardnd",
  },
  /* Case study 7.2.1 */
  {
    .name = "han2018",
    .text = "Han, S. (2018) 'Neurocognitive basis of racial ingroup bias in "
            "empathy', *Trends in Cognitive Sciences*, 22(5), pp. 400–421. "
            "doi: 10.1016/j.tics.2018.02.013.",
    .authors = "Han, S.",
    .n_authors = 1,
    .first_family = "Han",
    .last_family = "Han",
    .et_al = FALSE, .editors = FALSE,
    .year = "2018",
    .title = "Neurocognitive basis of racial ingroup bias in empathy",
    .container = "Trends in Cognitive Sciences",
    .volume = "22", .issue = "5", .pages = "400–421",
    .publisher = NULL, .place = NULL,
    .doi = "10.1016/j.tics.2018.02.013",
    .url = NULL,
    .kind = "article",
    .key = "han2018",
  },
};

/* "Family, Given; Organisation; ..." */
static char *
format_people (GPtrArray *people)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < people->len; i++)
    {
      CbPerson *person = g_ptr_array_index (people, i);

      if (i > 0)
        g_string_append (out, "; ");
      g_string_append (out, person->family);
      if (person->given != NULL)
        g_string_append_printf (out, ", %s", person->given);
    }

  return g_string_free (out, FALSE);
}

static void
test_guide_citation (gconstpointer data)
{
  const GuideCitation *expected = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReference) reference = NULL;
  g_autofree char *authors = NULL;
  g_autofree char *key = NULL;
  GPtrArray *people;

  reference = cb_citation_parse (expected->text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reference);

  people = cb_reference_get_authors (reference);
  g_assert_nonnull (people);
  authors = format_people (people);
  g_assert_cmpstr (authors, ==, expected->authors);
  g_assert_cmpuint (people->len, ==, expected->n_authors);
  g_assert_cmpstr (((CbPerson *) g_ptr_array_index (people, 0))->family, ==, expected->first_family);
  g_assert_cmpstr (((CbPerson *) g_ptr_array_index (people, people->len - 1))->family, ==,
                   expected->last_family);
  g_assert_cmpstr (cb_reference_get_first_family (reference), ==, expected->first_family);
  g_assert_cmpint (cb_reference_get_et_al (reference), ==, expected->et_al);
  g_assert_cmpint (cb_reference_get_editors (reference), ==, expected->editors);

  g_assert_cmpstr (cb_reference_get_year (reference), ==, expected->year);
  g_assert_cmpstr (cb_reference_get_title (reference), ==, expected->title);
  g_assert_cmpstr (cb_reference_get_container (reference), ==, expected->container);
  g_assert_cmpstr (cb_reference_get_volume (reference), ==, expected->volume);
  g_assert_cmpstr (cb_reference_get_issue (reference), ==, expected->issue);
  g_assert_cmpstr (cb_reference_get_pages (reference), ==, expected->pages);
  g_assert_cmpstr (cb_reference_get_publisher (reference), ==, expected->publisher);
  g_assert_cmpstr (cb_reference_get_place (reference), ==, expected->place);
  g_assert_cmpstr (cb_reference_get_doi (reference), ==, expected->doi);
  g_assert_cmpstr (cb_reference_get_url (reference), ==, expected->url);
  g_assert_cmpstr (cb_reference_get_kind (reference), ==, expected->kind);

  /* The parser keeps the citation as written and leaves the id alone. */
  g_assert_cmpstr (cb_reference_get_text (reference), ==, expected->text);
  g_assert_null (cb_reference_get_id (reference));

  key = cb_citation_make_key (reference);
  g_assert_cmpstr (key, ==, expected->key);

  g_assert_finalize_object (g_steal_pointer (&reference));
}

static const char *
data_dir (void)
{
  const char *dir = g_getenv ("CASEBOOK_DATA_DIR");

  return dir != NULL ? dir : SOURCE_DATADIR;
}

static gboolean
is_guide_citation (const char *line)
{
  for (guint i = 0; i < G_N_ELEMENTS (guide_citations); i++)
    {
      if (g_str_equal (line, guide_citations[i].text))
        return TRUE;
    }

  return FALSE;
}

/* The table holds every citation line of the guide's reference list, each
 * copied byte for byte, and nothing else. */
static void
test_guide_complete (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (data_dir (), "guide", GUIDE_FILE, NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint start = 0, end = 0;
  guint n_headers = 0;
  gboolean placeholder_seen = FALSE;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);

  /* The contents list has "References\t100"; the list itself is the last
   * line that reads just "References" before "Acknowledgements". */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_equal (lines[i], "References"))
        start = i;
      else if (g_str_equal (lines[i], "Acknowledgements") && start > 0)
        {
          end = i;
          break;
        }
    }
  g_assert_cmpuint (start, >, 0);
  g_assert_cmpuint (end, >, start);

  for (guint i = start + 1; i < end; i++)
    {
      const char *line = lines[i];

      if (*line == '\0' || g_str_equal (line, "Inset boxes") || g_str_equal (line, "Case studies"))
        continue;

      if (g_str_has_prefix (line, "Inset box") || g_str_has_prefix (line, "Case study"))
        {
          n_headers++;
          continue;
        }

      if (g_str_equal (line, PLACEHOLDER))
        {
          placeholder_seen = TRUE;
          continue;
        }

      if (!is_guide_citation (line))
        g_error ("%s:%u: citation missing from the test table: %s", GUIDE_FILE, i + 1, line);
      g_hash_table_add (seen, (gpointer) line);
    }

  g_assert_cmpuint (n_headers, ==, 33);
  g_assert_true (placeholder_seen);
  g_assert_cmpuint (g_hash_table_size (seen), ==, G_N_ELEMENTS (guide_citations));

  /* Each row is unique and names its own test path. */
  for (guint i = 0; i < G_N_ELEMENTS (guide_citations); i++)
    {
      for (guint j = i + 1; j < G_N_ELEMENTS (guide_citations); j++)
        {
          g_assert_cmpstr (guide_citations[i].text, !=, guide_citations[j].text);
          g_assert_cmpstr (guide_citations[i].name, !=, guide_citations[j].name);
        }
    }
}

static void
test_placeholder (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReference) reference = NULL;

  reference = cb_citation_parse (PLACEHOLDER, &error);
  g_assert_error (error, CB_ERROR, CB_ERROR_PARSE);
  g_assert_null (reference);

  /* Without an error location too. */
  g_assert_null (cb_citation_parse (PLACEHOLDER, NULL));
}

static void
check_hostile (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReference) reference = NULL;
  g_autofree char *head = g_strndup (text, 80);
  g_autofree char *escaped = g_strescape (head, NULL);
  CbReference *quiet;

  g_test_message ("hostile input: \"%s\"", escaped);

  reference = cb_citation_parse (text, &error);
  if (reference == NULL)
    {
      g_assert_error (error, CB_ERROR, CB_ERROR_PARSE);
      g_assert_nonnull (error->message);
    }
  else
    {
      g_autofree char *key = NULL;
      g_autofree char *authors = NULL;
      g_autofree char *link = NULL;
      g_autofree char *search_text = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (cb_reference_get_title (reference));
      g_assert_true (g_utf8_validate (cb_reference_get_title (reference), -1, NULL));
      g_assert_nonnull (cb_reference_get_kind (reference));

      /* What the importer and the exports do next must not crash either. */
      key = cb_citation_make_key (reference);
      g_assert_nonnull (key);
      g_assert_cmpuint (strlen (key), >, 0);
      for (const char *p = key; *p; p++)
        g_assert_true (g_ascii_islower (*p) || g_ascii_isdigit (*p));
      authors = cb_reference_format_authors (reference);
      link = cb_reference_dup_link (reference);
      search_text = cb_reference_dup_search_text (reference);
      g_assert_finalize_object (g_steal_pointer (&reference));
    }

  /* The same, with no error location. */
  quiet = cb_citation_parse (text, NULL);
  g_clear_object (&quiet);
}

static void
test_hostile (void)
{
  g_autofree char *long_a = g_strnfill (10000, 'a');
  g_autofree char *long_title = NULL;
  g_autofree char *many_authors = NULL;
  g_autoptr(GString) authors = g_string_new (NULL);
  const char *inputs[] = {
    "",
    " ",
    "(2020)",
    "((((",
    "))))",
    "Smith, J. (2020) ",
    "Smith, J. (2020)",
    "Smith, J.\x01 (2020)\t\x7f Title\x02. *J*\x1b, 1(2)",
    "\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f\x1f",
    "Smith, J.\r\n(2020)\r\nTitle.\r\n",
    "Smith, J. (2020) ‘Unclosed title, *Journal*, 1(2)",
    "Smith, J. (2020) “Unclosed title. Available at: <https://example.org",
    "Smith, J. (2020) 'Unclosed",
    "Smith, J. (2020) \"",
    "Smith, J. (2020) ''",
    "Smith, J. (2020) ‘’",
    "Smith, J. (2020) *",
    "Smith, J. (2020) **",
    "Smith, J. (2020) ***",
    "Smith, J. (2020) *Title",
    "Smith, J. (2020) Title. *Journal",
    "Smith, J. (2020) Title. ** , 1(2)",
    "Smith, J. (2020) Title. *J*, 99999999999999999999999999(1",
    "Smith, J. (2020) Title. *J*, 1(2), pp.",
    "Smith, J. (2020) Title. *J*, 1:",
    "Smith, J. (2020) Title. *J*, 1(",
    "Smith, J. (2020) Title. New York: ",
    "Smith, J. (2020) Title. : ",
    "(eds.) (2020) Title",
    "(ed.)",
    "Smith, J. (eds.) (2020)",
    ". . . .",
    ". ",
    "A. B. C.",
    "et al. (2020) Title.",
    "&, & and , and (2020) Title",
    ", , , (2020) Title.",
    "-. (2020) Title.",
    "Smith, -. (2020) Title.",
    "Smith, J., (2020) Title.",
    "doi:",
    "doi: 10.1234/",
    "doi: 10.",
    "Smith, J. (2020) doi: doi: doi:",
    "Smith, J. (2020) https://doi.org/",
    "Available at: <",
    "Available at: <>",
    "Available at: <https://example.org>",
    "Smith, J. (2020) Title. Available at: <https://a b>",
    "Smith, J. (2020) Title. Available at: <javascript:alert(1)>",
    "Smith, J. (2020) Title. [online] [online] Available at: Available at:",
    "Smith, J. (n.d.) Title.",
    "Smith, J. (0000) Title.",
    "Smith, J. (2020) (2021) (2022) Title.",
    "Smith, J. (2020) Title. %s%s%n%x",
    "Smith, J. (2020) \xff\xfe Title. *J\xc3*, 1(2)",
    "\xc4 (2020) Title.",
    "Smith, J. (2020) Title. *J*, 1(2), pp. \xff",
    "Sm\xcc\x81ith, J\xcc\x81. (2020) T\xcc\x81itle.",
    "\xe2\x80\x8b (2020) \xe2\x80\x8b.",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    check_hostile (inputs[i]);

  check_hostile (long_a);

  long_title = g_strdup_printf ("Smith, J. (2020) %s. *%s*, 1(2), pp. 1-2. doi: 10.1234/%s",
                                long_a, long_a, long_a);
  check_hostile (long_title);

  for (guint i = 0; i < 2000; i++)
    g_string_append (authors, "Smith, J., ");
  g_string_append (authors, "& Jones, K. (2020) Title.");
  many_authors = g_strdup (authors->str);
  check_hostile (many_authors);
}

static void
test_doi_valid (void)
{
  const char *good[] = {
    "10.1136/bmj.h3297",
    "10.1016/j.socscimed.2013.06.032",
    "10.1111/j.1749-6632.1978.tb41895.x",
  };
  const char *bad[] = {
    "10.12/x",
    "11.1234/x",
    "10.1234/",
    "10.1234/with space",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (cb_doi_is_valid (good[i]));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (cb_doi_is_valid (bad[i]));

  g_assert_false (cb_doi_is_valid (NULL));

  /* Every DOI the guide gives is well-formed. */
  for (guint i = 0; i < G_N_ELEMENTS (guide_citations); i++)
    {
      if (guide_citations[i].doi != NULL)
        g_assert_true (cb_doi_is_valid (guide_citations[i].doi));
    }
}

static void
check_key (const char *text,
           const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReference) reference = NULL;
  g_autofree char *key = NULL;

  reference = cb_citation_parse (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reference);

  key = cb_citation_make_key (reference);
  g_assert_cmpstr (key, ==, expected);
}

static void
test_key (void)
{
  check_key ("Māori Authority (2020) Title. Available at: <https://example.org>",
             "maoriauthority2020");
  check_key ("Ōtākou Whakaihu Waka (2021) Title. Available at: <https://example.org>",
             "otakouwhakaihuwaka2021");
  check_key ("Müller-Lüdenscheidt, H. & Ngā, T. (2019) ‘Title’, *Journal*, 1(2), pp. 3-4.",
             "mullerludenscheidt2019");
  check_key ("Smith, J. (n.d.) Title. Available at: <https://example.org>", "smithnd");
  check_key ("Smith, J. (2020b) Title. Available at: <https://example.org>", "smith2020");
  check_key ("O'Brien, K. (2018) Title. Available at: <https://example.org>", "obrien2018");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (guide_citations); i++)
    {
      g_autofree char *path = g_strconcat ("/citation/guide/", guide_citations[i].name, NULL);

      g_test_add_data_func (path, &guide_citations[i], test_guide_citation);
    }
  g_test_add_func ("/citation/guide-complete", test_guide_complete);
  g_test_add_func ("/citation/placeholder", test_placeholder);
  g_test_add_func ("/citation/hostile", test_hostile);
  g_test_add_func ("/citation/doi-valid", test_doi_valid);
  g_test_add_func ("/citation/key", test_key);

  return g_test_run ();
}
