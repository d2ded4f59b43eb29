package org.skerry.server.im;

import java.util.ArrayList;
import java.util.List;
import org.skerry.server.xml.Element;

/** XEP-0004 data forms: just enough to build forms and read submitted values. */
final class DataForms {
    static final String NS = "jabber:x:data";

    private DataForms() {}

    static Element form(String type, String title, String formType) {
        Element x = new Element("x", NS).attr("type", type);
        if (title != null) {
            x.addChild("title").addText(title);
        }
        if (formType != null) {
            field(x, "FORM_TYPE", "hidden", null).addChild("value").addText(formType);
        }
        return x;
    }

    static Element field(Element form, String var, String type, String label) {
        Element field = form.addChild("field").attr("var", var).attr("type", type).attr("label", label);
        return field;
    }

    static Element required(Element field) {
        field.addChild("required");
        return field;
    }

    /** The submitted values of a field, empty if absent. */
    static List<String> values(Element form, String var) {
        List<String> out = new ArrayList<>();
        if (form == null) {
            return out;
        }
        for (Element field : form.elements()) {
            if (field.name().equals("field") && var.equals(field.attr("var"))) {
                for (Element value : field.elements()) {
                    if (value.name().equals("value")) {
                        out.add(value.text());
                    }
                }
            }
        }
        return out;
    }

    static String value(Element form, String var) {
        List<String> values = values(form, var);
        return values.isEmpty() ? null : values.get(0);
    }
}
