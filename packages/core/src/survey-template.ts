// A starting questionnaire for an integrity perception survey, written for Sauti (not copied from
// any published questionnaire): one or more questions per Revised Arusha Declaration factor, for
// customs officials and for the private sector, in English with French translations. Analysts
// copy it, then edit, translate and add questions.
import type { ArushaFactorId as ArushaFactor } from './arusha';
import type { LocalizedText, SurveyDefinition, SurveyQuestion } from './wire/surveys';

const t = (en: string, fr: string, ar?: string): LocalizedText => ({ default: en, byLang: ar ? { fr, ar } : { fr } });
const agree = (id: string, factor: ArushaFactor, en: string, fr: string, ar?: string): SurveyQuestion => ({ id, factor, kind: 'agreement-5', text: t(en, fr, ar), required: true });

const OFFICIALS: SurveyQuestion[] = [
  agree('lead-example', 'leadership', 'Senior managers in my administration set a clear example of honest conduct.', 'Les cadres supérieurs de mon administration donnent un exemple clair de conduite honnête.', 'يقدّم كبار المديرين في إدارتي مثالًا واضحًا على السلوك النزيه.'),
  agree('lead-act', 'leadership', 'When managers learn of misconduct, they act on it.', 'Lorsque les responsables apprennent un manquement, ils agissent.', 'عندما يعلم المديرون بسوء سلوك، يتخذون إجراءً بشأنه.'),
  agree('rules-clear', 'regulatory_framework', 'The procedures I apply are clear enough that I rarely need to use personal discretion.', "Les procédures que j'applique sont assez claires pour que j'aie rarement à décider selon mon appréciation personnelle.", 'الإجراءات التي أطبّقها واضحة بما يكفي لأحتاج نادرًا إلى التقدير الشخصي.'),
  agree('transp-decisions', 'transparency', 'Traders can find out why a decision about their goods was taken.', 'Les opérateurs peuvent savoir pourquoi une décision concernant leurs marchandises a été prise.', 'يستطيع التجار معرفة سبب اتخاذ قرار بشأن بضائعهم.'),
  agree('auto-contact', 'automation', 'Electronic systems have reduced the occasions for informal payments.', 'Les systèmes électroniques ont réduit les occasions de paiements informels.', 'قلّلت الأنظمة الإلكترونية فرص المدفوعات غير الرسمية.'),
  agree('reform-change', 'reform_modernisation', 'Recent reforms have changed how work is actually done, not only on paper.', 'Les réformes récentes ont changé la façon dont le travail se fait réellement, pas seulement sur le papier.', 'غيّرت الإصلاحات الأخيرة طريقة العمل فعلًا، لا على الورق فقط.'),
  agree('audit-caught', 'audit_investigation', 'An official who takes a bribe here is likely to be found out.', 'Un agent qui accepte un pot-de-vin ici a de fortes chances d’être découvert.', 'من المرجّح أن يُكشف أمر الموظف الذي يتقاضى رشوة هنا.'),
  agree('audit-safe', 'audit_investigation', 'I could report corruption without fear of reprisal.', 'Je pourrais signaler la corruption sans craindre de représailles.', 'أستطيع الإبلاغ عن الفساد دون خوف من الانتقام.'),
  agree('code-known', 'code_of_conduct', 'I know what the code of conduct says about gifts and conflicts of interest.', 'Je sais ce que le code de conduite dit des cadeaux et des conflits d’intérêts.', 'أعرف ما تنص عليه مدونة السلوك بشأن الهدايا وتضارب المصالح.'),
  agree('hr-merit', 'human_resources', 'Postings and promotions are decided on merit.', 'Les affectations et les promotions sont décidées au mérite.', 'تُقرَّر التعيينات والترقيات على أساس الجدارة.'),
  agree('morale-pride', 'morale_culture', 'I am proud to work for this administration.', 'Je suis fier ou fière de travailler pour cette administration.', 'أنا فخور بالعمل في هذه الإدارة.'),
  agree('private-pressure', 'private_sector', 'Traders or brokers rarely pressure officials to bend the rules.', 'Les opérateurs ou commissionnaires font rarement pression sur les agents pour contourner les règles.', 'نادرًا ما يضغط التجار أو المخلّصون على الموظفين للتحايل على القواعد.'),
  {
    id: 'channels', factor: 'audit_investigation', kind: 'multiple', required: false,
    text: t('Where would you report corruption? (choose all that apply)', 'Où signaleriez-vous la corruption ? (plusieurs choix possibles)', 'أين ستبلغ عن الفساد؟ (اختر كل ما ينطبق)'),
    options: [
      { id: 'manager', text: t('My manager', 'Mon supérieur', 'مديري') },
      { id: 'internal-affairs', text: t('Internal affairs unit', 'Service des affaires internes', 'وحدة الشؤون الداخلية') },
      { id: 'sauti', text: t('This anonymous platform', 'Cette plateforme anonyme', 'هذه المنصة المجهولة الهوية') },
      { id: 'nowhere', text: t('Nowhere', 'Nulle part', 'لا مكان') },
    ],
  },
  {
    id: 'comment', factor: 'morale_culture', kind: 'text', required: false,
    text: t('Anything else you want to tell the administration? Do not write your name or details that could identify you.', "Autre chose à dire à l'administration ? N'écrivez ni votre nom ni de détail qui pourrait vous identifier.", 'هل تودّ إخبار الإدارة بشيء آخر؟ لا تكتب اسمك ولا تفاصيل قد تكشف هويتك.'),
  },
];

const PRIVATE: SurveyQuestion[] = [
  agree('p-lead', 'leadership', 'The customs leadership is serious about fighting corruption.', 'La direction des douanes prend au sérieux la lutte contre la corruption.'),
  agree('p-rules', 'regulatory_framework', 'Customs rules and tariffs are easy to find and understand.', 'Les règles et tarifs douaniers sont faciles à trouver et à comprendre.'),
  agree('p-transp', 'transparency', 'I can predict how long clearance will take.', 'Je peux prévoir la durée du dédouanement.'),
  agree('p-auto', 'automation', 'Online declarations have reduced face-to-face contact where payments are asked for.', 'Les déclarations en ligne ont réduit les contacts en personne où des paiements sont demandés.'),
  agree('p-reform', 'reform_modernisation', 'Clearance has become more honest in the last two years.', 'Le dédouanement est devenu plus honnête au cours des deux dernières années.'),
  agree('p-complain', 'audit_investigation', 'If I complained about a demand for a bribe, something would be done.', 'Si je me plaignais d’une demande de pot-de-vin, quelque chose serait fait.'),
  agree('p-code', 'code_of_conduct', 'Officials I deal with behave professionally.', 'Les agents avec qui je traite se comportent de manière professionnelle.'),
  agree('p-hr', 'human_resources', 'Officials seem competent in the procedures they apply.', 'Les agents semblent compétents dans les procédures qu’ils appliquent.'),
  agree('p-culture', 'morale_culture', 'Paying "facilitation" money is no longer normal at the border.', 'Payer de l’argent de « facilitation » n’est plus normal à la frontière.'),
  agree('p-partner', 'private_sector', 'Customs consults businesses before changing procedures.', 'La douane consulte les entreprises avant de modifier les procédures.'),
  {
    id: 'p-asked', factor: 'private_sector', kind: 'single', required: true,
    text: t('In the last 12 months, were you asked for an informal payment?', 'Au cours des 12 derniers mois, vous a-t-on demandé un paiement informel ?'),
    options: [
      { id: 'never', text: t('Never', 'Jamais') },
      { id: 'once', text: t('Once or twice', 'Une ou deux fois') },
      { id: 'often', text: t('Often', 'Souvent') },
      { id: 'no-answer', text: t('Prefer not to say', 'Je préfère ne pas répondre') },
    ],
  },
  {
    id: 'p-comment', factor: 'private_sector', kind: 'text', required: false,
    text: t('Anything else? Do not write your name, company or details that could identify you.', "Autre chose ? N'écrivez ni votre nom, ni votre entreprise, ni de détail qui pourrait vous identifier."),
  },
];

export const SURVEY_TEMPLATE: SurveyDefinition = {
  title: t('Customs integrity perception survey', 'Enquête sur la perception de l’intégrité douanière', 'استبيان تصوّر النزاهة في الجمارك'),
  intro: t(
    'Your answers are encrypted on this device before they are sent. No one, including the people who run this server, can tell which answers are yours.',
    'Vos réponses sont chiffrées sur cet appareil avant l’envoi. Personne, pas même les personnes qui gèrent ce serveur, ne peut savoir quelles réponses sont les vôtres.',
  ),
  questionnaires: [
    { group: 'officials', questions: OFFICIALS },
    { group: 'private_sector', questions: PRIVATE },
  ],
};
