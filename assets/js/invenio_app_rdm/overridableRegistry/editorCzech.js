// TinyMCE (the rich editors of the deposit form and the request pages) ships English
// only, and InvenioRDM does not set its language: its toolbar, menus, dialogs and
// their accessible names stayed English on Czech pages. The instance supplies the
// Czech of what its editors show (toolbar as react-invenio-forms configures it, the
// link, image, code and word-count dialogs, the editing area's name) and makes Czech
// the editors' language on pages in Czech. Set once every script of the page ran and
// before TinyMCE creates its editors (it waits for the same moment). Loaded with the
// overridable registry on every page.
const CZECH = {
  Blocks: "Bloky",
  Paragraph: "Odstavec",
  "Header 1": "Nadpis 1",
  "Header 2": "Nadpis 2",
  "Header 3": "Nadpis 3",
  "Heading 1": "Nadpis 1",
  "Heading 2": "Nadpis 2",
  "Heading 3": "Nadpis 3",
  Bold: "Tučné",
  Italic: "Kurzíva",
  "Insert/edit code sample": "Vložit/upravit ukázku kódu",
  "Insert/Edit Code Sample": "Vložit/upravit ukázku kódu",
  Language: "Jazyk",
  Blockquote: "Citace",
  Table: "Tabulka",
  "Bullet list": "Odrážky",
  "Numbered list": "Číslovaný seznam",
  "Decrease indent": "Zmenšit odsazení",
  "Increase indent": "Zvětšit odsazení",
  "Insert/edit link": "Vložit/upravit odkaz",
  "Insert/Edit Link": "Vložit/upravit odkaz",
  "Insert/edit image": "Vložit/upravit obrázek",
  "Insert/Edit Image": "Vložit/upravit obrázek",
  "Word count": "Počet slov",
  Undo: "Zpět",
  Redo: "Znovu",
  "Source code": "Zdrojový kód",
  "Preview math equations": "Náhled matematických vzorců",
  "Attach files": "Přiložit soubory",
  "Uploading file...": "Nahrávání souboru…",
  "Reveal or hide additional toolbar items": "Zobrazit nebo skrýt další položky panelu",
  "Rich Text Area": "Oblast formátovaného textu",
  "Rich Text Area. Press ALT-0 for help.": "Oblast formátovaného textu. Nápovědu zobrazíte klávesami ALT-0.",
  "Press {0} for help": "Nápovědu zobrazíte klávesami {0}",
  URL: "Adresa URL",
  "Text to display": "Zobrazený text",
  Title: "Titulek",
  "Open link in...": "Otevřít odkaz v…",
  "Current window": "Aktuálním okně",
  "New window": "Novém okně",
  None: "Žádné",
  Source: "Zdroj",
  "Alternative description": "Alternativní popis",
  "Image is decorative": "Obrázek je dekorativní",
  Width: "Šířka",
  Height: "Výška",
  "Constrain proportions": "Zachovat proporce",
  Dimensions: "Rozměry",
  "Image list": "Seznam obrázků",
  "Link list": "Seznam odkazů",
  Browse: "Procházet",
  General: "Obecné",
  Cancel: "Zrušit",
  Save: "Uložit",
  Close: "Zavřít",
  Count: "Počet",
  Document: "Dokument",
  Selection: "Výběr",
  Words: "Slova",
  "Characters (no spaces)": "Znaky (bez mezer)",
  Characters: "Znaky",
  "Insert table": "Vložit tabulku",
  "Table properties": "Vlastnosti tabulky",
  "Delete table": "Smazat tabulku",
  Row: "Řádek",
  Column: "Sloupec",
  Cell: "Buňka",
  "Insert row before": "Vložit řádek nad",
  "Insert row after": "Vložit řádek pod",
  "Delete row": "Smazat řádek",
  "Insert column before": "Vložit sloupec vlevo",
  "Insert column after": "Vložit sloupec vpravo",
  "Delete column": "Smazat sloupec",
  Preview: "Náhled",
  Formatting: "Formátování",
};

const inCzech = () => (document.documentElement.lang || "").toLowerCase().startsWith("cs");

const useCzechInEditors = () => {
  const tinymce = window.tinymce;
  if (!tinymce || !inCzech() || tinymce.consortiumCzech) {
    return;
  }
  tinymce.consortiumCzech = true;
  tinymce.addI18n("cs", CZECH);
  tinymce.overrideDefaults({ ...tinymce.defaultOptions, language: "cs" });
};

if (typeof window !== "undefined") {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", useCzechInEditors);
  } else {
    useCzechInEditors();
  }
}
